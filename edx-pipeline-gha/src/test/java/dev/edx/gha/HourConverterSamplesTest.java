package dev.edx.gha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.testkit.EdxTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EdxTest
class HourConverterSamplesTest {
  @Test
  void convertsTheRealSamples(Environment env, @TempDir Path tmp) throws Exception {
    env.storage().createBucket("gha-raw");
    env.storage().createBucket("gha-lake");
    for (String name : new String[] {"2015-01-01-1", "2012-06-14-15", "2021-01-01-1"}) {
      String[] p = name.split("-");
      Hour hour = Hour.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
          Integer.parseInt(p[3]));
      env.storage().put(ObjectRef.of("gha-raw", hour.rawKey()),
          Samples.folder().resolve(name + ".json.gz"));
      long t0 = System.nanoTime();
      HourResult r = new HourConverter(env.storage(), "gha-raw", "gha-lake",
          HourConverter.MAX_LINE_BYTES).convert(hour, false);
      System.out.println(r + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      Path f = tmp.resolve(name + ".parquet");
      Files.write(f, env.storage().readAllBytes(ObjectRef.of("gha-lake", hour.lakePrefix()
          + HourConverter.PART)));
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT type, count(*) FROM read_parquet('" + f
              + "') GROUP BY type ORDER BY 2 DESC")) {
        Map<String, Long> m = new LinkedHashMap<>();
        while (rs.next()) {
          m.put(rs.getString(1), rs.getLong(2));
        }
        System.out.println(m);
      }
      assertThat(r.quarantined()).isZero();
    }
  }
}
