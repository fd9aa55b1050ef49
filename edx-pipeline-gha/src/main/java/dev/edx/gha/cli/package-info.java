/**
 * The pipeline's commands ({@code edx demo}, {@code edx gha}, {@code edx sql}), which the {@code
 * edx} command line of edx-cli mounts through {@link dev.edx.gha.cli.GhaCommands}.
 */
package dev.edx.gha.cli;
