package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.ContainerJob;
import dev.edx.api.Environment;
import dev.edx.api.JobHandle;
import dev.edx.api.JobSpec;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.S3Access;
import dev.edx.api.SparkJob;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.api.TaskJob;
import dev.edx.api.exceptions.NoSuchJobException;
import dev.edx.toolkit.SparkS3a;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compute on this machine: the {@code local} provider.
 *
 * <ul>
 *   <li>{@link TaskJob}: the task class is loaded from the given class loader and run in-process
 *       on a bounded pool of daemon threads; cancel interrupts it.
 *   <li>{@link ContainerJob}: the command runs as a local process with the job's environment
 *       variables added; the image is not used. Exit code 0 is SUCCEEDED.
 *   <li>{@link SparkJob}: {@code $SPARK_HOME/bin/spark-submit} runs as a local process when
 *       {@code SPARK_HOME} is set; otherwise spark-submit's entry point runs in a child JVM on
 *       Spark's class path, the spec's {@code sparkClassPath} or what a {@link
 *       SparkRuntimeResolver} on the class path resolves (see {@link LocalSpark}); without
 *       either the job ends FAILED saying how to give Spark. Cancel stops the process tree.
 *       With S3 storage, the job gets the storage's {@code spark.hadoop.fs.s3a.*} conf (its own
 *       keys win) and the process the storage's credentials as environment variables, never on
 *       its command line.
 * </ul>
 *
 * <p>At most {@code threads} jobs run at once; the others wait in PENDING. Each job's log is kept
 * in memory, up to {@code maxLogBytes} (older bytes are dropped). Jobs are forgotten on {@link
 * #close()}, which cancels those still running. Thread safe.
 */
public final class LocalCompute implements Compute, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCompute.class);
  private static final long DESTROY_GRACE_MILLIS = 2_000;
  private static final long LOG_DRAIN_MILLIS = 1_000;

  private final long maxLogBytes;
  private final LocalSpark spark;
  private final ClassLoader loader;
  private final Function<String, Optional<String>> environmentVariables;
  private final Supplier<Environment> environment;
  private final InstantSource clock;
  private final ThreadPoolExecutor pool;
  private final ConcurrentMap<String, LocalJob> jobs = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param threads how many jobs run at once, at least 1
   * @param maxLogBytes how many bytes of each job's log are kept, at least 1
   * @param sparkMaster the {@code --master} of spark-submit, such as {@code local[*]}
   * @param loader where task classes are loaded from
   * @param environmentVariables looks up environment variables ({@code SPARK_HOME})
   * @param environment the environment handed to tasks; called when a task asks for it
   */
  public LocalCompute(int threads, long maxLogBytes, String sparkMaster, ClassLoader loader,
      Function<String, Optional<String>> environmentVariables,
      Supplier<Environment> environment) {
    this(threads, maxLogBytes, sparkMaster, loader, environmentVariables, environment,
        InstantSource.system());
  }

  /**
   * Compute whose Spark jobs run with the spec's Spark settings ({@link LocalComputeProvider}).
   */
  LocalCompute(int threads, long maxLogBytes, LocalSpark spark, ClassLoader loader,
      Function<String, Optional<String>> environmentVariables,
      Supplier<Environment> environment, InstantSource clock) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    if (maxLogBytes < 1 || maxLogBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxLogBytes must be between 1 and " + (Integer.MAX_VALUE - 8) + ": " + maxLogBytes);
    }
    this.maxLogBytes = maxLogBytes;
    this.spark = requireNonNull(spark, "spark is null");
    this.loader = requireNonNull(loader, "loader is null");
    this.environmentVariables =
        requireNonNull(environmentVariables, "environmentVariables is null");
    this.environment = requireNonNull(environment, "environment is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), new WorkerFactory());
    LOG.info("Local compute started with {} worker threads", threads);
  }

  /**
   * Compute that measures time on {@code clock}: the timeouts of {@link JobHandle#await}. Tests
   * pass a clock they move; the other constructor uses the system clock.
   *
   * @param threads how many jobs run at once, at least 1
   * @param maxLogBytes how many bytes of each job's log are kept, at least 1
   * @param sparkMaster the {@code --master} of spark-submit, such as {@code local[*]}
   * @param loader where task classes are loaded from
   * @param environmentVariables looks up environment variables ({@code SPARK_HOME})
   * @param environment the environment handed to tasks; called when a task asks for it
   * @param clock the time of timeouts
   */
  public LocalCompute(int threads, long maxLogBytes, String sparkMaster, ClassLoader loader,
      Function<String, Optional<String>> environmentVariables,
      Supplier<Environment> environment, InstantSource clock) {
    this(threads, maxLogBytes, new LocalSpark(LocalSpark.Settings.defaults(
            requireNonNull(sparkMaster, "sparkMaster is null"),
            Path.of(System.getProperty("user.home"))),
            requireNonNull(loader, "loader is null"), environmentVariables,
            LocalSpark.currentJava()),
        loader, environmentVariables, environment, clock);
  }

  @Override
  public JobHandle submit(JobSpec spec) {
    requireNonNull(spec, "spec is null");
    if (closed.get()) {
      throw new IllegalStateException(
          "Cannot submit job '" + spec.name() + "': local compute is closed");
    }
    String id = newId(spec.name());
    LocalJob job = new LocalJob(id, spec, new JobLog(maxLogBytes), clock);
    FutureTask<Void> work = new FutureTask<>(() -> run(job), null);
    job.attach(work);
    jobs.put(id, job);
    LOG.debug("Submitting job {}: {}", id, spec);
    pool.execute(work);
    return job;
  }

  @Override
  public JobHandle job(String id) {
    requireNonNull(id, "id is null");
    LocalJob job = jobs.get(id);
    if (job == null) {
      throw new NoSuchJobException(id,
          "Cannot find job '" + id + "': no such job in local compute");
    }
    return job;
  }

  /** Cancels the jobs still running or waiting, stops the workers and destroys processes. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    jobs.values().forEach(LocalJob::cancel);
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(DESTROY_GRACE_MILLIS * 2, TimeUnit.MILLISECONDS)) {
        LOG.warn("Local compute closed with workers still running (a task ignores interrupts)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("Local compute closed");
  }

  private String newId(String name) {
    String base = name.replaceAll("[^A-Za-z0-9._-]+", "-");
    byte[] bytes = new byte[4];
    String id;
    do {
      random.nextBytes(bytes);
      id = base + "-" + HexFormat.of().formatHex(bytes);
    } while (jobs.containsKey(id));
    return id;
  }

  private void run(LocalJob job) {
    if (!job.start()) {
      return;
    }
    JobStatus outcome;
    try {
      JobSpec spec = job.spec();
      if (spec instanceof TaskJob t) {
        outcome = runTask(job, t);
      } else if (spec instanceof ContainerJob c) {
        outcome = runContainer(job, c);
      } else if (spec instanceof SparkJob s) {
        outcome = runSpark(job, s);
      } else {
        outcome = failed(job, "Cannot run job '" + spec.name() + "': unknown kind " + spec);
      }
    } catch (RuntimeException | Error e) {
      job.log().line(stackTrace(e));
      outcome = JobStatus.of(JobState.FAILED, e.toString());
    }
    job.finish(outcome);
  }

  // --- TaskJob ---

  private JobStatus runTask(LocalJob job, TaskJob spec) {
    String className = spec.taskClass();
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      return failed(job, "Cannot run task class '" + className + "': class not found");
    } catch (LinkageError e) {
      job.log().line(stackTrace(e));
      return failed(job, "Cannot run task class '" + className + "': cannot load it: " + e);
    }
    if (!Task.class.isAssignableFrom(type)) {
      return failed(job, "Cannot run task class '" + className + "': it does not implement "
          + Task.class.getName());
    }
    if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
      return failed(job, "Cannot run task class '" + className
          + "': it must be a public, non-abstract class");
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      return failed(job, "Cannot run task class '" + className
          + "': it has no public no-argument constructor");
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Task task = (Task) constructor.newInstance();
      job.log().line("running task " + className);
      task.run(new Context(job, spec.params()));
      return JobStatus.of(JobState.SUCCEEDED);
    } catch (InvocationTargetException e) {
      return thrown(job, e.getCause());
    } catch (Exception e) {
      return thrown(job, e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private JobStatus thrown(LocalJob job, Throwable t) {
    if (job.cancelRequested()) {
      return JobStatus.of(JobState.CANCELLED, "cancelled");
    }
    job.log().line(stackTrace(t));
    return JobStatus.of(JobState.FAILED, t.toString());
  }

  private final class Context implements TaskContext {
    private final LocalJob job;
    private final Map<String, String> params;

    Context(LocalJob job, Map<String, String> params) {
      this.job = job;
      this.params = params;
    }

    @Override
    public String jobId() {
      return job.id();
    }

    @Override
    public Environment environment() {
      return environment.get();
    }

    @Override
    public Map<String, String> params() {
      return params;
    }

    @Override
    public void log(String message) {
      job.log().line(String.valueOf(message));
    }

    @Override
    public void progress(long done, long total, String message) {
      job.log().line("progress " + done + "/" + (total < 0 ? "?" : Long.toString(total)) + ": "
          + message);
    }
  }

  // --- ContainerJob and SparkJob: local processes ---

  private JobStatus runContainer(LocalJob job, ContainerJob spec) {
    LOG.info("Job {}: running the command of ContainerJob '{}' as a local process; image {} is"
        + " not used by local compute", job.id(), spec.name(), spec.image());
    job.log().line("local compute runs the command directly; image " + spec.image()
        + " is not used");
    return runProcess(job, spec.command(), spec.env());
  }

  private JobStatus runSpark(LocalJob job, SparkJob spec) {
    Path work;
    try {
      work = Files.createTempDirectory("edx-spark-" + job.id() + "-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException | UnsupportedOperationException e) {
      return failed(job, "Cannot run SparkJob '" + spec.name() + "' on local compute: cannot"
          + " create its working folder: " + e);
    }
    try {
      Optional<S3Access> storage = storageAccess(job);
      SparkJob withStorage = storage.map(a -> SparkS3a.withConf(spec, a)).orElse(spec);
      LocalSpark.Launch launch;
      try {
        launch = spark.prepare(withStorage, work, line -> {
          job.log().line(line);
          LOG.info("Job {}: {}", job.id(), line);
        });
      } catch (LocalSpark.CannotRunException e) {
        return failed(job, e.getMessage());
      } catch (IOException e) {
        return failed(job, "Cannot run SparkJob '" + spec.name() + "' on local compute: " + e);
      }
      if (job.cancelRequested()) {
        return JobStatus.of(JobState.CANCELLED, "cancelled");
      }
      Map<String, String> env = new TreeMap<>(launch.environment());
      env.putAll(sparkEnvironment(storage));
      return runProcess(job, launch.command(), env);
    } finally {
      try {
        LocalFiles.deleteTree(work, "delete the working folder of job " + job.id());
      } catch (RuntimeException e) {
        LOG.debug("Job {}: {}", job.id(), e.getMessage());
      }
    }
  }

  /**
   * How Spark reaches the environment's storage ({@link dev.edx.api.ObjectStorage#s3Access}); empty
   * for storage that is not S3, or compute created outside an environment.
   */
  private Optional<S3Access> storageAccess(LocalJob job) {
    try {
      return environment.get().storage().s3Access();
    } catch (RuntimeException e) {
      LOG.debug("Job {}: no storage to configure Spark's S3A for: {}", job.id(), e.toString());
      return Optional.empty();
    }
  }

  /**
   * The environment variables that carry the storage's credentials to the driver (and, in
   * {@code local[N]}, its executors): never its command line, which the job's log shows.
   */
  static Map<String, String> sparkEnvironment(Optional<S3Access> storage) {
    return storage.flatMap(S3Access::credentials).map(SparkS3a::environment).orElse(Map.of());
  }

  private JobStatus runProcess(LocalJob job, List<String> command, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    job.log().line("$ " + String.join(" ", command));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return failed(job, "Cannot start command '" + command.get(0) + "': " + e.getMessage());
    }
    Thread reader = new Thread(() -> copy(process.getInputStream(), job),
        "edx-local-compute-log-" + job.id());
    reader.setDaemon(true);
    reader.start();
    if (!job.attach(process)) {
      return JobStatus.of(JobState.CANCELLED, "cancelled");
    }
    try {
      int exit = process.waitFor();
      reader.join(LOG_DRAIN_MILLIS);
      return exit == 0 ? JobStatus.of(JobState.SUCCEEDED)
          : JobStatus.of(JobState.FAILED, "exit code " + exit);
    } catch (InterruptedException e) {
      destroy(process);
      return JobStatus.of(JobState.CANCELLED, "cancelled");
    }
  }

  private static void copy(InputStream in, LocalJob job) {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        job.log().append(buffer, 0, n);
      }
    } catch (IOException e) {
      LOG.debug("Job {}: output stream closed: {}", job.id(), e.toString());
    }
  }

  /** Stops a process and its descendants: destroy, then destroyForcibly after a short grace. */
  static void destroy(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    Thread killer = new Thread(() -> {
      try {
        if (!process.waitFor(DESTROY_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
      descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }, "edx-local-compute-destroy-" + process.pid());
    killer.setDaemon(true);
    killer.start();
  }

  private static JobStatus failed(LocalJob job, String reason) {
    job.log().line(reason);
    return JobStatus.of(JobState.FAILED, reason);
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString().stripTrailing();
  }

  private static final class WorkerFactory implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread thread = new Thread(r, "edx-local-compute-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
