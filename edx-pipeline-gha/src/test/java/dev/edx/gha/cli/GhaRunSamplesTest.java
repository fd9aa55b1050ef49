package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edx.api.Environment;
import dev.edx.api.ObjectInfo;
import dev.edx.gha.Hour;
import dev.edx.gha.Results;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx gha run} over the real GH Archive samples ({@link Samples}: skipped without them).
 * Each test runs the pipeline in its own folder: none reads what another left.
 */
class GhaRunSamplesTest {
  private static final Map<String, Map<String, Long>> TYPES = Map.of(
      "2015-01-01T01", counts("PushEvent 4150, CreateEvent 727, IssueCommentEvent 651,"
          + " WatchEvent 649, IssuesEvent 330, PullRequestEvent 293, ForkEvent 222,"
          + " GollumEvent 106, PullRequestReviewCommentEvent 92, DeleteEvent 81,"
          + " CommitCommentEvent 62, ReleaseEvent 43, MemberEvent 13, PublicEvent 8"),
      "2012-06-14T15", counts("PushEvent 2724, CreateEvent 508, WatchEvent 445,"
          + " IssueCommentEvent 404, IssuesEvent 255, GistEvent 207, PullRequestEvent 179,"
          + " ForkEvent 141, FollowEvent 130, GollumEvent 94, CommitCommentEvent 84,"
          + " PullRequestReviewCommentEvent 67, DeleteEvent 43, MemberEvent 19,"
          + " DownloadEvent 11, PublicEvent 2"));
  private static final Map<String, Long> EVENTS = Map.of("2015-01-01T01", 7427L,
      "2012-06-14T15", 5313L, "2021-01-01T01", 1000L);

  @TempDir
  Path dir;
  private Path data;
  private final StringWriter out = new StringWriter();

  private static Map<String, Long> counts(String text) {
    Map<String, Long> m = new TreeMap<>();
    for (String pair : text.split(",")) {
      String[] p = pair.trim().split(" ");
      m.put(p[0], Long.parseLong(p[1]));
    }
    return m;
  }

  @BeforeEach
  void needsTheSamples() {
    Samples.assumeAvailable();
  }

  @BeforeEach
  void prepare() {
    data = dir.resolve("edx");
  }

  private JsonNode runAll(String name) throws IOException {
    JsonNode last = null;
    for (String hour : List.of("2015-01-01T01", "2012-06-14T15", "2021-01-01T01")) {
      Path report = dir.resolve(name + "-" + hour + ".json");
      int code = GhaCli.run(new String[] {"gha", "run", "--data-dir", data.toString(),
          "--source", Samples.folder().toString(), "--from", hour, "--report",
          report.toString()}, new PrintWriter(out, true), new PrintWriter(out, true));
      assertThat(code).as(out.toString()).isZero();
      last = Results.JSON.readTree(report.toFile());
      JsonNode h = last.get("hours").get(0);
      assertThat(h.get("hour").asText()).isEqualTo(hour);
      assertThat(h.get("events").asLong()).as(hour).isEqualTo(EVENTS.get(hour));
      assertThat(h.get("quarantined").asLong()).isZero();
      assertThat(h.get("duplicates").asLong()).isZero();
    }
    return last;
  }

  @Test
  void reproducesTheEventAndTypeCountsOfTheSamples() throws Exception {
    JsonNode report = runAll("first");
    Map<String, Long> tables = new LinkedHashMap<>();
    report.get("tables").forEach(t -> tables.put(t.get("name").asText(), t.get("rows").asLong()));
    assertThat(tables).containsEntry("gha.events", 13740L).containsEntry("gha_dm.t1", 13740L);

    try (Environment env = GhaCli.factory().openEmbedded(data)) {
      for (Map.Entry<String, Map<String, Long>> e : TYPES.entrySet()) {
        Hour h = Hour.parse(e.getKey());
        SqlEngine.Rows rows = SqlEngine.query(env, "SELECT type, count(*) FROM gha.events"
            + " WHERE year = " + h.year() + " AND month = " + h.month() + " AND day = "
            + h.day() + " AND hour = " + h.hour() + " GROUP BY type");
        Map<String, Long> actual = new TreeMap<>();
        rows.rows().forEach(r -> actual.put(r.get(0), Long.parseLong(r.get(1))));
        assertThat(actual).as(e.getKey()).isEqualTo(e.getValue());
      }
      // created_at is a UTC timestamp: the 2012 file's -07:00 offsets are converted.
      SqlEngine.Rows types = SqlEngine.query(env, "SELECT DISTINCT typeof(created_at)"
          + " FROM gha.events");
      assertThat(types.rows()).containsExactly(List.of("TIMESTAMP WITH TIME ZONE"));
      SqlEngine.Rows range = SqlEngine.query(env, "SELECT hour, min(epoch(created_at)),"
          + " max(epoch(created_at)) FROM gha.events WHERE year = 2012 GROUP BY hour");
      assertThat(range.rows()).hasSize(1);
      double min = Double.parseDouble(range.rows().get(0).get(1));
      double max = Double.parseDouble(range.rows().get(0).get(2));
      // 2012-06-14T15:00-07:00 .. 15:59:59-07:00 is 22:00Z .. 22:59:59Z; a few events spill
      // into the next hour's minutes (GH Archive #23), none into 15:xxZ (unconverted offsets).
      assertThat(min).isGreaterThanOrEqualTo(1339711200d);
      assertThat(max).isLessThan(1339714800d + 300);
      SqlEngine.Rows t1 = SqlEngine.query(env, "SELECT count(*) FROM gha_dm.t1");
      assertThat(t1.rows().get(0).get(0)).isEqualTo("13740");
      SqlEngine.Rows ids = SqlEngine.query(env, "SELECT count(DISTINCT id), count(*) FROM"
          + " gha.events WHERE year = 2012");
      assertThat(ids.rows().get(0)).containsExactly("5313", "5313");
    }
  }

  @Test
  void aSecondRunRebuildsNothingAndLeavesTheTablesByteIdentical() throws Exception {
    runAll("first");
    Map<String, String> firstRunFiles = hashes();
    out.getBuffer().setLength(0); // what follows is the second run's output only

    JsonNode report = runAll("second");
    report.get("tables").forEach(t -> assertThat(t.get("rebuilt").asLong())
        .as(t.get("name").asText()).isZero());
    assertThat(out.toString()).contains("present").contains("unchanged");
    Map<String, String> second = hashes();
    assertThat(second).isEqualTo(firstRunFiles);
    assertThat(second.keySet()).anyMatch(k -> k.startsWith("gha-datamart/gha_dm/t1/"))
        .anyMatch(k -> k.startsWith("gha-lake/events/year=2012/"));
  }

  /** SHA-256 of every object in the pipeline's buckets, read through the environment's API. */
  private Map<String, String> hashes() throws Exception {
    Map<String, String> result = new TreeMap<>();
    try (Environment env = GhaCli.factory().openEmbedded(data)) {
      for (String bucket : env.storage().listBuckets()) {
        if (!bucket.startsWith("gha-")) {
          continue;
        }
        try (Stream<ObjectInfo> objects = env.storage().list(bucket, "")) {
          for (ObjectInfo info : objects.toList()) {
            String key = info.ref().toString();
            if (!key.contains("_edx/runs/")) {
              result.put(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                  .digest(env.storage().readAllBytes(info.ref()))));
            }
          }
        }
      }
    }
    return result;
  }
}
