package dev.edx.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.ObjectRef;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.api.TaskJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's quickstart, compiled and run. The code between the {@code quickstart} markers is
 * what the README shows; {@link #readmeShowsThisCode()} fails when the two drift apart.
 */
@EdxTest
class QuickstartTest {

  /** A task: runs in-process locally, in the edx runner container on Kubernetes. */
  public static final class CountLines implements Task {
    @Override
    public void run(TaskContext ctx) throws Exception {
      ObjectRef in = ObjectRef.of(ctx.param("bucket"), ctx.param("key"));
      long lines = new String(ctx.environment().storage().readAllBytes(in),
          StandardCharsets.UTF_8).lines().count();
      ctx.log(in + " has " + lines + " lines");
    }
  }

  @Test
  void quickstart(Environment env) {
    // quickstart:start
    env.storage().createBucket("gha-raw");
    ObjectRef ref = ObjectRef.of("gha-raw", "2015/01/01/15.json");
    env.storage().put(ref, "{\"id\":1}\n{\"id\":2}\n".getBytes(StandardCharsets.UTF_8));

    JobHandle job = env.compute().submit(TaskJob.of(CountLines.class,
        Map.of("bucket", "gha-raw", "key", "2015/01/01/15.json")));
    assertThat(job.await(Duration.ofMinutes(1)).state()).isEqualTo(JobState.SUCCEEDED);
    // quickstart:end
  }

  @Test
  void readmeShowsThisCode() throws IOException {
    Path readme = Path.of("..", "README.md");
    String source = Files.readString(Path.of("src/test/java/dev/edx/testkit/QuickstartTest.java"));
    String snippet = source.substring(source.indexOf("// quickstart:start") + 20,
        source.indexOf("    // quickstart:end")).stripTrailing().stripIndent().strip();
    assertThat(Files.readString(readme)).contains(snippet);
  }
}
