/**
 * The {@code local} providers: object storage in a folder ({@link
 * dev.edx.core.local.LocalStorageProvider}), secrets in a folder ({@link
 * dev.edx.core.local.LocalSecretsProvider}) and read-only secrets from environment variables
 * ({@link dev.edx.core.local.EnvSecretsProvider}). They are the reference implementations the
 * testkit's contract tests run against first.
 */
package dev.edx.core.local;
