/**
 * Embedded servers and the embedded environment on them, in-process and without Docker: {@link
 * dev.edx.embedded.S3Endpoint} (an S3 endpoint), {@link dev.edx.embedded.PostgresEndpoint} (a
 * PostgreSQL server) and {@link dev.edx.embedded.EmbeddedEnvironments}. What the {@code edx}
 * command line opens without {@code --env}, what edx-testkit's {@code @EdxTest} injects, and the
 * seed of {@code edx up}. No test framework.
 */
package dev.edx.embedded;
