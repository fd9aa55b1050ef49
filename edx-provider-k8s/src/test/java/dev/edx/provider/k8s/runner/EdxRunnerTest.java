package dev.edx.provider.k8s.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.api.spi.EnvironmentFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner entry point, run in-process as the pod would run it, on local providers. */
class EdxRunnerTest {
  @TempDir
  Path dir;

  private Path spec;
  private Path terminationLog;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  /** Writes its {@code text} param to {@code bucket/key} through the environment's storage. */
  public static final class WriteTask implements Task {
    @Override
    public void run(TaskContext context) throws Exception {
      ObjectRef ref = ObjectRef.of(context.param("bucket"), context.param("key"));
      context.environment().storage().put(ref, new ByteArrayInputStream(
          context.param("text").getBytes(StandardCharsets.UTF_8)));
      context.log("wrote " + ref + " in " + context.environment().name());
      context.progress(1, 1, "done");
    }
  }

  /** Throws. */
  public static final class BrokenTask implements Task {
    @Override
    public void run(TaskContext context) {
      throw new IllegalStateException("broken on purpose");
    }
  }

  @BeforeEach
  void writeSpec() throws Exception {
    spec = dir.resolve("environment.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata:
          name: runner-test
        spec:
          storage:
            provider: local
            root: data
            buckets: [out]
        """);
    terminationLog = dir.resolve("termination-log");
  }

  private int run(String taskClass, String params) {
    Map<String, String> env = Map.of(EdxRunner.ENV_SPEC, spec.toString(),
        EdxRunner.ENV_TASK_CLASS, taskClass, EdxRunner.ENV_TASK_PARAMS, params,
        EdxRunner.ENV_JOB_ID, "job-1", EdxRunner.ENV_TERMINATION_LOG, terminationLog.toString());
    return EdxRunner.run(env, getClass().getClassLoader(),
        new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @Test
  void runsTheTaskInTheEnvironmentOfTheSpecAndExitsZero() throws Exception {
    try (Environment env = factory().open(spec)) {
      env.storage().createBucket("out");
    }

    int exit = run(WriteTask.class.getName(),
        "{\"bucket\":\"out\",\"key\":\"a.txt\",\"text\":\"hello pod\"}");

    assertThat(exit).as(log.toString()).isEqualTo(EdxRunner.EXIT_OK);
    assertThat(log.toString()).contains("wrote ").contains("in runner-test")
        .contains("progress 1/1: done");
    try (Environment env = factory().open(spec);
        var in = env.storage().open(ObjectRef.of("out", "a.txt"))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello pod");
    }
    assertThat(terminationLog).doesNotExist();
  }

  @Test
  void failingTaskExitsOneWithTheCauseAsTerminationMessage() throws Exception {
    int exit = run(BrokenTask.class.getName(), "{}");

    assertThat(exit).isEqualTo(EdxRunner.EXIT_TASK_FAILED);
    assertThat(Files.readString(terminationLog))
        .isEqualTo("java.lang.IllegalStateException: broken on purpose");
    assertThat(log.toString()).contains("at " + BrokenTask.class.getName());
  }

  @Test
  void badInvocationExitsTwoNamingTheProblem() throws Exception {
    assertThat(run("no.such.Task", "{}")).isEqualTo(EdxRunner.EXIT_BAD_INVOCATION);
    assertThat(Files.readString(terminationLog)).contains("no.such.Task")
        .contains("class not found");

    assertThat(run(WriteTask.class.getName(), "{\"n\": 1}"))
        .isEqualTo(EdxRunner.EXIT_BAD_INVOCATION);
    assertThat(Files.readString(terminationLog)).contains(EdxRunner.ENV_TASK_PARAMS);

    int exit = EdxRunner.run(Map.of(EdxRunner.ENV_TERMINATION_LOG, terminationLog.toString()),
        getClass().getClassLoader(), new PrintStream(log, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(EdxRunner.EXIT_BAD_INVOCATION);
    assertThat(Files.readString(terminationLog)).contains(EdxRunner.ENV_TASK_CLASS);
  }

  private static EnvironmentFactory factory() {
    return ServiceLoader.load(EnvironmentFactory.class).findFirst().orElseThrow();
  }

  /**
   * The runner image cannot be built here (no Docker engine) and nothing depends on it; this only
   * keeps its Dockerfile from naming a main class that no longer exists.
   */
  @Test
  void theRunnerImageDockerfileStartsThisEntryPoint() throws Exception {
    String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile"));

    assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre")
        .contains("ENTRYPOINT [\"java\", \"-cp\", \"/opt/edx/lib/*\", \""
            + EdxRunner.class.getName() + "\"]");
  }
}
