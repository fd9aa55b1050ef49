package dev.edx.gha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.embedded.EmbeddedEnvironments;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.gha.demo.HourServer;
import dev.edx.testkit.FaultProxy;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline (ingest, json2parquet, tables) with a {@link FaultProxy} faulting 10% of the
 * requests to the embedded S3 endpoint and to the HTTP source (503s, latency, resets after the
 * request was handled, bodies cut short) ends with the same raw, lake and datamart objects as a
 * clean run, compared by digest through the storage API.
 */
class FaultInjectionTest {
  private static final List<Hour> HOURS = List.of(Hour.parse("2015-01-01T01"),
      Hour.parse("2015-01-01T02"), Hour.parse("2012-06-14T15"), Hour.parse("2024-03-05T14"));
  private static final List<String> BUCKETS = List.of("gha-raw", "gha-lake", "gha-datamart");

  @Test
  void aRunWithTenPercentOfRequestsFaultedEndsLikeACleanRun(@TempDir Path clean,
      @TempDir Path faulted) throws Exception {
    try (HourServer server = new HourServer()) {
      for (Hour hour : HOURS) {
        server.put(hour.fileName(), GhArchiveGenerator.gzip(hour, 2_000));
      }
      Map<String, String> expected;
      try (Environment env = EmbeddedEnvironments.open(clean)) {
        run(env, server.url());
        expected = digests(env);
      }
      List<FaultProxy> proxies = new ArrayList<>();
      try (FaultProxy source = FaultProxy.start(URI.create(server.url()), 7, 0.10);
          Environment env = EmbeddedEnvironments.open(faulted, endpoint -> {
            FaultProxy storage = FaultProxy.start(endpoint, 11, 0.10);
            proxies.add(storage);
            return storage.uri();
          })) {
        try {
          run(env, source.uri().toString());
          assertThat(proxies).hasSize(1);
          FaultProxy storage = proxies.get(0);
          assertThat(storage.injected().values().stream().mapToLong(Long::longValue).sum())
              .as("faults injected into %s requests to S3", storage.requests())
              .isGreaterThanOrEqualTo(storage.requests() / 20);
          assertThat(storage.injected()).allSatisfy((fault, n) -> assertThat(n).as("%s", fault)
              .isPositive());
          assertThat(source.injected().values().stream().mapToLong(Long::longValue).sum())
              .isPositive();
          storage.rate(0); // the comparison itself reads without faults
          assertThat(digests(env)).isEqualTo(expected);
        } finally {
          proxies.forEach(FaultProxy::close);
        }
      }
    }
  }

  private static void run(Environment env, String source) {
    StringWriter log = new StringWriter();
    GhaPipeline pipeline = new GhaPipeline(env, new GhaPipeline.Settings(source, "gha-raw",
        "gha-lake", "gha-datamart", 2, 6, "", false, Map.of("retries", "6",
            "backoffMillis", "20")), new PrintWriter(log, true), false);
    pipeline.run(HOURS);
    assertThat(pipeline.failedHours()).as(log.toString()).isEmpty();
    assertThat(pipeline.hours()).as(log.toString()).hasSize(HOURS.size())
        .allSatisfy(h -> assertThat(h.events()).isEqualTo(2_000));
  }

  /**
   * SHA-256 of every data object (raw files, lake Parquet and quarantine, datamart Parquet), read
   * through the API. Bookkeeping under {@code _edx/} records times and etags, so it differs
   * between two environments by design.
   */
  static Map<String, String> digests(Environment env) throws Exception {
    Map<String, String> result = new TreeMap<>();
    for (String bucket : BUCKETS) {
      if (!env.storage().bucketExists(bucket)) {
        continue;
      }
      try (Stream<ObjectInfo> list = env.storage().list(bucket, "")) {
        for (ObjectInfo info : list.toList()) {
          if (info.ref().key().startsWith("_edx/")) {
            continue;
          }
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          try (InputStream in = env.storage().open(ObjectRef.of(bucket, info.ref().key()))) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
              sha.update(buffer, 0, n);
            }
          }
          result.put(bucket + "/" + info.ref().key(), HexFormat.of().formatHex(sha.digest()));
        }
      }
    }
    return result;
  }
}
