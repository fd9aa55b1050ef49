/**
 * The {@code edx} command line ({@code ./edx}): {@code env} and {@code doctor} on edx-core's API,
 * the embedded environment from edx-embedded, and the GH Archive pipeline's {@code demo}, {@code
 * gha} and {@code sql}. An application, not an API.
 */
package dev.edx.cli;
