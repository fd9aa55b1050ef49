package dev.edx.provider.k8s.runner;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Environment;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.api.spi.EnvironmentFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The entry point of the edx runner image: runs one {@link dev.edx.api.TaskJob} inside a pod.
 *
 * <p>Contract (what the {@code k8s} compute provider sets on the container):
 *
 * <ul>
 *   <li>{@code EDX_ENV_SPEC}: the environment spec file, mounted from the job's ConfigMap at
 *       {@code /etc/edx/environment.yaml}; opened with the highest-priority {@link
 *       EnvironmentFactory} found by {@link ServiceLoader} (edx-core's on the image's class path);
 *   <li>{@code EDX_TASK_CLASS}: the {@link Task} class, on the image's class path;
 *   <li>{@code EDX_TASK_PARAMS}: the task's parameters as a JSON object of strings;
 *   <li>{@code EDX_JOB_ID}: the edx job id;
 *   <li>{@code EDX_TERMINATION_LOG} (optional): where the failure reason goes, default {@code
 *       /dev/termination-log}, which Kubernetes reports as the container's termination message.
 * </ul>
 *
 * <p>The task's log lines and progress go to standard output (the pod log). Exit status: 0 when
 * the task returned, 1 when it threw (the exception is the termination message, its stack trace
 * is in the log), 2 when the contract above is not met (missing variable, bad JSON, unknown
 * class, no environment factory).
 */
public final class EdxRunner {
  public static final String ENV_SPEC = "EDX_ENV_SPEC";
  public static final String ENV_TASK_CLASS = "EDX_TASK_CLASS";
  public static final String ENV_TASK_PARAMS = "EDX_TASK_PARAMS";
  public static final String ENV_JOB_ID = "EDX_JOB_ID";
  public static final String ENV_TERMINATION_LOG = "EDX_TERMINATION_LOG";
  public static final String TERMINATION_LOG_DEFAULT = "/dev/termination-log";

  public static final int EXIT_OK = 0;
  public static final int EXIT_TASK_FAILED = 1;
  public static final int EXIT_BAD_INVOCATION = 2;

  /** Kubernetes keeps at most 4096 bytes of a termination message. */
  private static final int MAX_MESSAGE_CHARS = 4000;

  private EdxRunner() {}

  public static void main(String[] args) {
    int code = run(System.getenv(), Thread.currentThread().getContextClassLoader(), System.out);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs the task the variables describe and returns the exit status; never calls {@code
   * System.exit}, so it can run in-process.
   *
   * @param env the container's environment variables
   * @param loader where the environment factory and the task class are loaded from
   * @param out the pod log
   */
  public static int run(Map<String, String> env, ClassLoader loader, PrintStream out) {
    requireNonNull(env, "env is null");
    requireNonNull(loader, "loader is null");
    requireNonNull(out, "out is null");
    Path terminationLog = Path.of(env.getOrDefault(ENV_TERMINATION_LOG, TERMINATION_LOG_DEFAULT));
    String jobId = env.getOrDefault(ENV_JOB_ID, "unknown-job");
    String taskClass = env.get(ENV_TASK_CLASS);
    String specFile = env.get(ENV_SPEC);
    if (taskClass == null || taskClass.isBlank() || specFile == null || specFile.isBlank()) {
      return fail(out, terminationLog, EXIT_BAD_INVOCATION, "Cannot run edx task: set "
          + ENV_TASK_CLASS + " and " + ENV_SPEC + " (the edx runner's contract)", null);
    }
    Map<String, String> params;
    try {
      params = params(env.getOrDefault(ENV_TASK_PARAMS, "{}"));
    } catch (RuntimeException e) {
      return fail(out, terminationLog, EXIT_BAD_INVOCATION, "Cannot run task class '" + taskClass
          + "': " + ENV_TASK_PARAMS + " is not a JSON object of strings: " + e.getMessage(), null);
    }
    Task task;
    try {
      task = instantiate(taskClass, loader);
    } catch (IllegalArgumentException e) {
      return fail(out, terminationLog, EXIT_BAD_INVOCATION, e.getMessage(), e.getCause());
    }
    Optional<EnvironmentFactory> factory = ServiceLoader.load(EnvironmentFactory.class, loader)
        .stream().map(ServiceLoader.Provider::get)
        .max(Comparator.comparingInt(EnvironmentFactory::priority));
    if (factory.isEmpty()) {
      return fail(out, terminationLog, EXIT_BAD_INVOCATION, "Cannot run task class '" + taskClass
          + "': no " + EnvironmentFactory.class.getName() + " on the class path (add edx-core)",
          null);
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    out.println("edx runner: job " + jobId + " running task " + taskClass);
    try (Environment environment = factory.get().open(Path.of(specFile))) {
      task.run(new Context(jobId, environment, params, out));
      out.println("edx runner: job " + jobId + " succeeded");
      return EXIT_OK;
    } catch (InterruptedException e) {
      thread.interrupt();
      return fail(out, terminationLog, EXIT_TASK_FAILED, "interrupted (job cancelled)", null);
    } catch (Exception | Error e) {
      return fail(out, terminationLog, EXIT_TASK_FAILED, e.toString(), e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static Map<String, String> params(String json) {
    Object parsed = Serialization.unmarshal(json, Map.class);
    Map<String, String> params = new LinkedHashMap<>();
    if (parsed != null) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
        if (!(e.getValue() instanceof String value)) {
          throw new IllegalArgumentException("the value of '" + e.getKey() + "' is not a string");
        }
        params.put(String.valueOf(e.getKey()), value);
      }
    }
    return Map.copyOf(params);
  }

  private static Task instantiate(String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("Cannot run task class '" + className
          + "': class not found on the runner's class path");
    } catch (LinkageError e) {
      throw new IllegalArgumentException("Cannot run task class '" + className
          + "': cannot load it: " + e, e);
    }
    if (!Task.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())
        || !Modifier.isPublic(type.getModifiers())) {
      throw new IllegalArgumentException("Cannot run task class '" + className
          + "': it must be a public, non-abstract implementation of " + Task.class.getName());
    }
    try {
      Constructor<?> constructor = type.getConstructor();
      return (Task) constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("Cannot run task class '" + className
          + "': it has no public no-argument constructor");
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("Cannot run task class '" + className
          + "': its constructor threw " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("Cannot run task class '" + className + "': " + e, e);
    }
  }

  private static int fail(PrintStream out, Path terminationLog, int code, String reason,
      Throwable cause) {
    if (cause != null) {
      cause.printStackTrace(out);
    }
    out.println("edx runner: failed: " + reason);
    String message = reason.length() > MAX_MESSAGE_CHARS
        ? reason.substring(0, MAX_MESSAGE_CHARS) : reason;
    try {
      Files.writeString(terminationLog, message, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      out.println("edx runner: cannot write the termination message to " + terminationLog + ": "
          + e);
    }
    return code;
  }

  private record Context(String jobId, Environment environment, Map<String, String> params,
      PrintStream out) implements TaskContext {
    @Override
    public void log(String message) {
      out.println(String.valueOf(message));
    }

    @Override
    public void progress(long done, long total, String message) {
      out.println("progress " + done + "/" + (total < 0 ? "?" : Long.toString(total)) + ": "
          + message);
    }
  }
}
