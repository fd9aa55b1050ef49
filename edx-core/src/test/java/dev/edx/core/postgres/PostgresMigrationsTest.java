package dev.edx.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Opening a current metastore skips Flyway when the history's last entry is {@link
 * PostgresProvisioning#LATEST_VERSION}: that constant must name the newest migration file, or a
 * new migration would never run at open.
 */
class PostgresMigrationsTest {
  private static final Pattern VERSION = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.*\\.sql");

  @Test
  void latestVersionIsTheNewestMigrationFile() throws Exception {
    URL dir = PostgresProvisioning.class.getClassLoader().getResource("db/edx-metastore");
    assertThat(dir).isNotNull();
    List<String> versions;
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      versions = files.map(f -> VERSION.matcher(f.getFileName().toString()))
          .filter(Matcher::matches).map(m -> m.group(1).replace('_', '.'))
          .sorted(Comparator.comparing(PostgresMigrationsTest::parts,
              PostgresMigrationsTest::compare)).toList();
    }
    assertThat(versions).isNotEmpty();
    assertThat(PostgresProvisioning.LATEST_VERSION).isEqualTo(versions.get(versions.size() - 1));
  }

  private static long[] parts(String version) {
    return Stream.of(version.split("\\.")).mapToLong(Long::parseLong).toArray();
  }

  private static int compare(long[] a, long[] b) {
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int c = Long.compare(i < a.length ? a[i] : 0, i < b.length ? b[i] : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
