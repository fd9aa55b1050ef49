package dev.edx.core.local;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where {@code local} compute gets Spark when {@code SPARK_HOME} is not set and the spec gives no
 * {@code sparkClassPath}: the jars on which spark-submit's entry point ({@code
 * org.apache.spark.deploy.SparkSubmit}) runs in a child JVM.
 *
 * <p>Local compute finds one implementation with {@link java.util.ServiceLoader} in the provider
 * context's class loader ({@code META-INF/services/dev.edx.core.local.SparkRuntimeResolver}); the
 * module {@code edx-spark-runtime} provides it, resolving Spark from a Maven repository, so that
 * edx-core carries no resolver. Without one, a {@code SparkJob} fails naming the ways to give
 * Spark.
 */
public interface SparkRuntimeResolver {

  /**
   * The class path of Spark {@code request.sparkVersion()} with the S3A connector: every jar, in
   * order. May take minutes the first time (downloads); then it should come from a cache.
   *
   * @param request what to resolve, from where, and where to cache it
   * @param progress receives one line at a time about what is happening (resolving, downloaded so
   *     far, done), for the job's log
   * @throws dev.edx.api.exceptions.ProviderException when Spark cannot be resolved, saying from
   *     where and why
   */
  List<Path> resolve(SparkRuntimeRequest request, Consumer<String> progress);
}
