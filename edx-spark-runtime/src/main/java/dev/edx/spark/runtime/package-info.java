/**
 * Spark for {@code local} compute without {@code SPARK_HOME}: {@link
 * dev.edx.spark.runtime.MavenSparkRuntimeResolver} resolves Spark and its S3A connector from a
 * Maven repository into a cached class path ({@link dev.edx.core.local.SparkRuntimeResolver},
 * found with {@code ServiceLoader}); {@link dev.edx.spark.runtime.SparkPi} is the Monte Carlo
 * estimate of pi that {@code edx doctor} runs as a {@code SparkJob}.
 */
package dev.edx.spark.runtime;
