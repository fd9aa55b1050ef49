package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A Spark application: spark-submit locally, a spark-operator {@code SparkApplication} on
 * Kubernetes, an EMR on EKS job run on AWS.
 *
 * @param name the application name
 * @param mainClass the main class (JVM applications); empty for Python applications
 * @param applicationResource the jar or .py file, as a URI the cluster can read ({@code s3a://},
 *     {@code local://}, {@code file:})
 * @param args the application's arguments
 * @param conf Spark configuration ({@code spark.*} keys)
 * @param driver driver resources
 * @param executor resources of each executor
 * @param executorInstances how many executors
 */
public record SparkJob(
    String name,
    String mainClass,
    String applicationResource,
    List<String> args,
    Map<String, String> conf,
    Resources driver,
    Resources executor,
    int executorInstances)
    implements JobSpec {
  public SparkJob {
    requireNonNull(name, "name is null");
    requireNonNull(mainClass, "mainClass is null");
    requireNonNull(applicationResource, "applicationResource is null");
    args = List.copyOf(requireNonNull(args, "args is null"));
    conf = Map.copyOf(requireNonNull(conf, "conf is null"));
    requireNonNull(driver, "driver is null");
    requireNonNull(executor, "executor is null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("SparkJob name is blank");
    }
    if (applicationResource.isBlank()) {
      throw new IllegalArgumentException("SparkJob applicationResource is blank");
    }
    if (executorInstances < 1) {
      throw new IllegalArgumentException(
          "SparkJob executorInstances must be at least 1: " + executorInstances);
    }
  }

  /** A JVM application with one executor of 1 core and 1g, driver 1 core and 1g. */
  public static SparkJob of(String name, String mainClass, String applicationResource,
      List<String> args) {
    return new SparkJob(name, mainClass, applicationResource, args, Map.of(),
        Resources.of(1, "1g"), Resources.of(1, "1g"), 1);
  }
}
