package dev.edx.api;

/**
 * A unit of work that runs wherever compute runs it: in-process locally, in the edx runner
 * container on Kubernetes. It reaches data only through {@link TaskContext#environment()}, so it
 * runs unchanged on every provider. Implementations need a public no-argument constructor.
 */
@FunctionalInterface
public interface Task {

  /**
   * Does the work. Throwing ends the job FAILED with the exception as its reason; an interrupt
   * means the job was cancelled.
   */
  void run(TaskContext context) throws Exception;
}
