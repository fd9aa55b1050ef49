package dev.edx.cli;

import dev.edx.api.Column;
import dev.edx.api.Compute;
import dev.edx.api.DataStore;
import dev.edx.api.Database;
import dev.edx.api.Environment;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.Metastore;
import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Partition;
import dev.edx.api.Resources;
import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import dev.edx.api.SparkJob;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.TaskJob;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.DataStoreProvider;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceProvider;
import dev.edx.api.spi.StorageProvider;
import dev.edx.core.internal.DoctorTask;
import dev.edx.core.local.LocalCompute;
import dev.edx.provider.k8s.K8sCompute;
import dev.edx.provider.k8s.SparkOperatorCheck;
import dev.edx.spark.runtime.SparkPi;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edx doctor}: opens an environment, lists the providers found per service, checks what
 * the providers need of their cluster (for {@code k8s} compute: the SparkApplication CRD and a
 * spark-operator watching the namespace), round-trips an object, a job, a table and a secret,
 * and checks each declared data store ({@link DataStore#check()}: connect and a harmless round
 * trip), printing each step. On {@code local} compute it also runs SparkPi as a {@code SparkJob}
 * (Spark from {@code SPARK_HOME}, else resolved from Maven Central) and prints its estimate,
 * unless {@code --no-spark}. Exit code 0 when every step passed, 1 otherwise.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check an environment: list providers, round-trip an object, a job, a table and"
        + " a secret, reach each declared data store; on local compute, run SparkPi as a Spark"
        + " job.")
final class DoctorCommand implements Callable<Integer> {
  /** The prefix of what doctor creates; a random suffix per run keeps names from colliding. */
  static final String PREFIX = "edx-doctor-";

  @Mixin
  EdxMain.EnvironmentOptions options = new EdxMain.EnvironmentOptions();

  @Option(names = "--no-spark",
      description = "Skip the Spark check (on local compute, SparkPi as a SparkJob; its first run"
          + " downloads Spark, about 300 MB, into the local Maven repository).")
  boolean noSpark;

  @Option(names = "--spark-timeout", paramLabel = "DURATION", defaultValue = "PT20M",
      converter = DurationConverter.class,
      description = "How long the Spark check may take, download included (default: 20m).")
  Duration sparkTimeout;

  @Spec
  CommandSpec spec;

  private PrintWriter out;
  private int failures;
  private String bucket;
  private String database;
  private String secret;
  private boolean createdBucket;
  private boolean createdDatabase;
  private boolean createdSecret;

  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    out.println("edx doctor");
    out.println("providers on the class path:");
    providers().forEach((service, names) -> out.printf("  %-10s %s%n", service, names));
    out.println("opening " + options.describe());
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    bucket = PREFIX + run;
    database = PREFIX.replace('-', '_') + run;
    secret = PREFIX + run;
    try (Environment env = options.open()) {
      out.println("environment '" + env.name() + "' is open");
      try {
        clusterChecks(env);
        step("object", () -> object(env.storage(), run));
        step("job", () -> job(env, run));
        sparkCheck(env);
        step("table", () -> table(env.metastore(), run));
        step("secret", () -> secret(env.secrets(), run));
        for (Map.Entry<String, DataStore> declared : env.datastores().entrySet()) {
          DataStore store = declared.getValue();
          step("datastore " + declared.getKey(), () -> store.check().orElse("not checked:"
              + " provider '" + store.provider() + "' has no check"));
        }
      } finally {
        step("cleanup", () -> cleanUp(env));
      }
    }
    out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
    return failures == 0 ? 0 : 1;
  }

  private static Map<String, String> providers() {
    Map<String, String> result = new TreeMap<>();
    result.put("storage", names(StorageProvider.class));
    result.put("compute", names(ComputeProvider.class));
    result.put("metastore", names(MetastoreProvider.class));
    result.put("secrets", names(SecretsProvider.class));
    result.put("datastores", names(DataStoreProvider.class));
    return result;
  }

  private static String names(Class<? extends ServiceProvider<?>> type) {
    List<String> names = ServiceLoader.load(type).stream()
        .map(p -> p.get().name() + " (" + p.type().getName() + ")")
        .sorted().collect(Collectors.toList());
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  private interface Check {
    String run() throws Exception;
  }

  private void step(String what, Check check) {
    long start = System.nanoTime();
    try {
      String detail = check.run();
      out.printf("  ok    %-7s %s (%d ms)%n", what, detail,
          (System.nanoTime() - start) / 1_000_000);
    } catch (Exception e) {
      failures++;
      out.printf("  FAIL  %-7s %s: %s%n", what, e.getClass().getSimpleName(), e.getMessage());
    }
  }

  /**
   * What a provider needs of its cluster beyond a round trip: for {@code k8s} compute, the
   * SparkApplication CRD and a spark-operator controller and webhook watching its namespace.
   */
  private void clusterChecks(Environment env) {
    Compute compute;
    try {
      compute = env.compute();
    } catch (ConfigurationException e) {
      return;
    }
    if (compute instanceof K8sCompute k8s) {
      step("spark", () -> {
        SparkOperatorCheck.Report report = k8s.checkSparkOperator();
        if (!report.ok()) {
          throw new IllegalStateException("Spark jobs cannot run in namespace "
              + k8s.settings().namespace() + ": " + String.join("; ", report.missing())
              + (report.found().isEmpty() ? "" : " (found: "
                  + String.join("; ", report.found()) + ")"));
        }
        return String.join("; ", report.found());
      });
    }
  }

  /**
   * On local compute, SparkPi as a {@code SparkJob}: Spark from {@code SPARK_HOME}, the spec's
   * {@code sparkClassPath} or Maven Central; prints the progress lines of the job's log while it
   * runs (resolution, downloads) and the estimate read from its log.
   */
  private void sparkCheck(Environment env) {
    Compute compute;
    try {
      compute = env.compute();
    } catch (ConfigurationException e) {
      return;
    }
    if (!(compute instanceof LocalCompute)) {
      return;
    }
    if (noSpark) {
      out.printf("  skip  %-7s --no-spark%n", "spark");
      return;
    }
    step("spark", () -> sparkPi(compute));
  }

  private String sparkPi(Compute compute) throws IOException, InterruptedException {
    Path folder = Files.createTempDirectory("edx-doctor-spark-");
    try {
      Path jar = SparkPi.writeApplicationJar(folder.resolve("edx-spark-pi.jar"));
      SparkJob spec = new SparkJob(PREFIX + "spark-pi", SparkPi.class.getName(),
          jar.toUri().toString(), List.of("2"), Map.of("spark.ui.enabled", "false"),
          Resources.of(1, "512m"), Resources.of(1, "512m"), 1);
      out.printf("  ...   %-7s SparkPi as a SparkJob on local compute (first run: Spark is"
          + " downloaded, about 300 MB)%n", "spark");
      out.flush();
      long started = System.nanoTime();
      JobHandle job = compute.submit(spec);
      JobStatus status = followSpark(job, sparkTimeout);
      double seconds = (System.nanoTime() - started) / 1e9;
      String log = log(job);
      if (status.state() != JobState.SUCCEEDED) {
        throw new IllegalStateException("SparkPi job " + job.id() + " ended " + status
            + "; the end of its log:\n" + tail(log, 25));
      }
      String estimate = log.lines().filter(l -> l.startsWith(SparkPi.ESTIMATE_PREFIX))
          .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("SparkPi job "
              + job.id() + " succeeded but printed no '" + SparkPi.ESTIMATE_PREFIX + "'"));
      double pi = Double.parseDouble(estimate.substring(SparkPi.ESTIMATE_PREFIX.length()).trim());
      if (pi < 3.0 || pi > 3.3) {
        throw new IllegalStateException("SparkPi estimated " + pi + ", far from pi");
      }
      return String.format(Locale.ROOT, "SparkPi: %s (job %s %s in %.1f s)", estimate, job.id(),
          status.state(), seconds);
    } finally {
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Waits for a Spark job, printing the lines of its log that say how it gets Spark ({@code
   * spark:}) as they come, and its state changes; cancels it when {@code timeout} passes.
   */
  private JobStatus followSpark(JobHandle job, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int printed = 0;
    JobState last = null;
    while (true) {
      JobStatus status = job.status();
      if (status.state() != last && !status.isTerminal()) {
        last = status.state();
        out.printf("        %s %s%n", job.id(), last);
      }
      List<String> lines = log(job).lines().filter(l -> l.startsWith("spark: ")).toList();
      for (String line : lines.subList(Math.min(printed, lines.size()), lines.size())) {
        out.println("        " + line);
      }
      printed = Math.max(printed, lines.size());
      out.flush();
      if (status.isTerminal()) {
        return status;
      }
      if (System.nanoTime() > deadline) {
        job.cancel();
        throw new IllegalStateException("SparkPi job " + job.id() + " did not end in "
            + timeout + " (cancelled); use --spark-timeout for a slow first download, or"
            + " --no-spark");
      }
      Thread.sleep(500);
    }
  }

  private static String log(JobHandle job) {
    try (InputStream in = job.logs()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read the log: " + e + ")";
    }
  }

  private static String tail(String text, int lines) {
    List<String> all = text.strip().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Reads {@code 20m}, {@code 90s}, {@code 1h} or an ISO-8601 duration. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.matches("\\d+[smh]")) {
          long n = Long.parseLong(v.substring(0, v.length() - 1));
          return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
        }
        return Duration.parse(value.trim());
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as"
            + " 20m, 90s or 1h");
      }
    }
  }

  private void ensureBucket(ObjectStorage storage) {
    if (!storage.bucketExists(bucket)) {
      storage.createBucket(bucket);
      createdBucket = true;
    }
  }

  /** Removes what this run created, even after a failed check: its bucket, database, secret. */
  private String cleanUp(Environment env) {
    List<String> removed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (createdBucket) {
      attempt(problems, "bucket " + bucket, () -> {
        ObjectStorage storage = env.storage();
        List<ObjectRef> left;
        try (Stream<ObjectInfo> list = storage.list(bucket, "")) {
          left = list.map(ObjectInfo::ref).toList();
        }
        left.forEach(storage::delete);
        storage.deleteBucket(bucket);
        removed.add("bucket " + bucket);
      });
    }
    if (createdDatabase) {
      attempt(problems, "database " + database, () -> {
        env.metastore().dropDatabase(database, true);
        removed.add("database " + database);
      });
    }
    if (createdSecret) {
      attempt(problems, "secret " + secret, () -> {
        if (env.secrets().delete(secret)) {
          removed.add("secret " + secret);
        }
      });
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("could not remove " + String.join(", ", problems));
    }
    return removed.isEmpty() ? "nothing to remove" : "removed " + String.join(", ", removed);
  }

  private static void attempt(List<String> problems, String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      problems.add(what + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }

  private String object(ObjectStorage storage, String run) throws IOException {
    ensureBucket(storage);
    ObjectRef ref = ObjectRef.of(bucket, "doctor/" + run + ".txt");
    byte[] data = ("edx doctor " + run).getBytes(StandardCharsets.UTF_8);
    storage.put(ref, data);
    ObjectInfo info = storage.stat(ref).orElseThrow(() -> new IllegalStateException(
        "stat found no " + ref + " right after put"));
    byte[] back;
    try (InputStream in = storage.open(ref)) {
      back = in.readAllBytes();
    }
    if (!Arrays.equals(data, back) || info.size() != data.length) {
      throw new IllegalStateException("read back different bytes from " + ref);
    }
    long listed;
    try (Stream<ObjectInfo> list = storage.list(bucket, "doctor/" + run)) {
      listed = list.count();
    }
    storage.delete(ref);
    return "put, stat, read and listed " + storage.uri(ref) + " (" + info.size()
        + " bytes, listed " + listed + "), then deleted it";
  }

  private String job(Environment env, String run) throws IOException {
    ObjectStorage storage = env.storage();
    ensureBucket(storage);
    String key = "doctor/job-" + run + ".txt";
    JobHandle job = env.compute().submit(TaskJob.of(DoctorTask.class,
        Map.of("bucket", bucket, "key", key)));
    JobStatus status = job.await(Duration.ofMinutes(2));
    String log;
    try (InputStream in = job.logs()) {
      log = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    if (status.state() != JobState.SUCCEEDED) {
      throw new IllegalStateException("job " + job.id() + " ended " + status + "; log: " + log);
    }
    ObjectRef written = ObjectRef.of(bucket, key);
    String content = new String(storage.readAllBytes(written), StandardCharsets.UTF_8);
    storage.delete(written);
    return "job " + job.id() + " " + status + ", wrote '" + content + "'; its log has "
        + log.lines().count() + " line(s)";
  }

  private String table(Metastore metastore, String run) {
    if (metastore.loadDatabase(database).isEmpty()) {
      metastore.createDatabase(Database.of(database));
      createdDatabase = true;
    }
    TableId id = TableId.of(database, "doctor_" + run);
    Table created = metastore.createTable(TableDefinition.of(id, "file:/tmp/edx-doctor/" + run,
        "parquet", List.of(Column.of("id", "bigint"), Column.of("login", "string")),
        List.of(Column.of("day", "string"))));
    Table updated = metastore.updateTable(new TableDefinition(id, created.definition().location(),
        "parquet", created.definition().columns(), created.definition().partitionKeys(),
        Map.of("checked-by", "edx doctor"), created.definition().comment()), created.version());
    metastore.addPartitions(id, List.of(Partition.of(List.of("2015-01-01"),
        created.definition().location() + "/day=2015-01-01")), false);
    long partitions;
    try (Stream<Partition> list = metastore.listPartitions(id, Map.of())) {
      partitions = list.count();
    }
    metastore.dropTable(id);
    return "created " + id + " v" + created.version() + ", updated to v" + updated.version()
        + ", listed " + partitions + " partition(s), then dropped it";
  }

  private String secret(Secrets secrets, String run) {
    Secret value = Secret.of(secret, Map.of("token", "doctor-" + run));
    createdSecret = true;
    secrets.put(value);
    Secret back = secrets.get(secret).orElseThrow(() -> new IllegalStateException(
        "secret " + secret + " not found right after put"));
    if (!back.equals(value)) {
      throw new IllegalStateException("secret " + secret + " read back different values");
    }
    List<String> names = new ArrayList<>(secrets.list());
    boolean deleted = secrets.delete(secret);
    createdSecret = !deleted;
    return "put, read back and listed " + back + " (" + names.size() + " secret(s)), deleted: "
        + deleted;
  }
}
