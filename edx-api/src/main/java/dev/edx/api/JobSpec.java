package dev.edx.api;

/**
 * What to run. Sealed: a {@link TaskJob} (an edx {@link Task} class; in-process locally, in the
 * edx runner container elsewhere), a {@link SparkJob} (spark-submit, spark-operator or EMR on EKS),
 * or a {@link ContainerJob} (an image and a command).
 */
public sealed interface JobSpec permits TaskJob, SparkJob, ContainerJob {
  /** A short human name, used in job ids, labels and logs. */
  String name();
}
