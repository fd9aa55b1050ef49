/**
 * The {@code local} providers: compute that runs jobs on this machine (tasks in-process,
 * containers and spark-submit as local processes) and a folder-backed metastore. They are the
 * reference implementations the contract tests run first.
 */
package dev.edx.core.local;
