/**
 * The {@code local} providers, the reference implementations the testkit's contract tests run
 * against first: object storage in a folder ({@link dev.edx.core.local.LocalStorageProvider}),
 * compute on this machine ({@link dev.edx.core.local.LocalComputeProvider}: tasks in-process,
 * containers and spark-submit as local processes), a folder-backed metastore ({@link
 * dev.edx.core.local.LocalMetastoreProvider}), secrets in a folder ({@link
 * dev.edx.core.local.LocalSecretsProvider}) and read-only secrets from environment variables
 * ({@link dev.edx.core.local.EnvSecretsProvider}).
 */
package dev.edx.core.local;
