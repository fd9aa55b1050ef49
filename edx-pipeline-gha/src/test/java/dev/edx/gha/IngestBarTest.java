package dev.edx.gha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.gha.cli.GhaCli;
import dev.edx.gha.demo.GhArchiveGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a terminal, ingest draws a bar with bytes, rate and ETA under the hours it reports. */
class IngestBarTest {
  @TempDir
  Path dir;

  @Test
  void theBarCountsHoursBytesAndAnEta() throws IOException {
    Path source = Files.createDirectories(dir.resolve("source"));
    List<Hour> hours = Hour.range(Hour.parse("2015-01-01T00"), Hour.parse("2015-01-01T02"));
    for (Hour hour : hours) {
      Files.write(source.resolve(hour.fileName()), GhArchiveGenerator.gzip(hour, 40));
    }
    Path spec = dir.resolve("dev.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data}
          metastore: {provider: local, directory: metastore}
          compute: {provider: local, threads: 1}
        """);
    StringWriter text = new StringWriter();
    try (Environment env = GhaCli.factory().open(spec)) {
      GhaPipeline pipeline = new GhaPipeline(env, new GhaPipeline.Settings(source.toString(),
          "gha-raw", "gha-lake", "gha-datamart", 1, 6, "", false, Map.of()),
          new PrintWriter(text, true), true);
      assertThat(pipeline.ingest(hours)).hasSize(3);
    }
    assertThat(text.toString())
        .containsPattern("\\r\\[#{10}\\.{20}] 1/3 ingest \\d+(\\.\\d)? [KM]?B, \\d+(\\.\\d)?"
            + " [KM]?B/s, ETA \\d+:\\d\\d")
        .containsPattern("\\r\\[#{30}] 3/3 ingest")
        .containsPattern("ingest 2015-01-01T02 ingested +\\d+ bytes");
    assertThat(GhaPipeline.size(1536)).isEqualTo("1.5 KB");
    assertThat(GhaPipeline.duration(3725)).isEqualTo("1:02:05");
  }
}
