package dev.edx.gha.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.gha.Hour;
import dev.edx.gha.HourResult;
import dev.edx.gha.Results;
import dev.edx.testkit.EdxTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** json2parquet on a generated corpus of bad inputs, case by case. */
@EdxTest
class BadInputTest {
  private static final String GOOD = "{\"id\":\"1\",\"type\":\"PushEvent\",\"actor\":{\"id\":7,"
      + "\"login\":\"a\"},\"repo\":{\"id\":9,\"name\":\"a/b\",\"url\":\"u\"},\"payload\":{},"
      + "\"public\":true,\"created_at\":\"2015-01-01T15:00:01Z\"}";
  private static int next;

  @BeforeAll
  static void buckets(Environment env) {
    env.storage().createBucket("gha-raw");
    env.storage().createBucket("gha-lake");
  }

  private static String good(int id) {
    return GOOD.replace("\"id\":\"1\"", "\"id\":\"" + id + "\"");
  }

  private static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    }
    return out.toByteArray();
  }

  private static byte[] lines(String... lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Puts {@code raw} as a fresh hour and converts it. */
  private static Hour put(Environment env, byte[] raw) {
    Hour hour = new Hour(Hour.of(2015, 1, 1, 0).start().plusHours(next++));
    env.storage().put(ObjectRef.of("gha-raw", hour.rawKey()), raw);
    return hour;
  }

  private static HourResult convert(Environment env, Hour hour) throws IOException {
    return new HourConverter(env.storage(), "gha-raw", "gha-lake", HourConverter.MAX_LINE_BYTES)
        .convert(hour, false);
  }

  private static List<JsonNode> quarantine(ObjectStorage storage, Hour hour) throws IOException {
    String text = new String(storage.readAllBytes(ObjectRef.of("gha-lake",
        hour.quarantineKey())), StandardCharsets.UTF_8);
    return text.lines().map(l -> {
      try {
        return Results.JSON.readTree(l);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  private static void assertNoOutput(Environment env, Hour hour) {
    assertThat(env.storage().list("gha-lake", hour.lakePrefix()).count()).isZero();
    assertThat(env.storage().stat(ObjectRef.of("gha-lake", HourConverter.markerKey(hour))))
        .isEmpty();
  }

  @Test
  void truncatedGzipFailsTheHourAndWritesNothing(Environment env) throws IOException {
    byte[] full = gzip(lines(good(1), good(2), good(3)));
    Hour hour = put(env, Arrays.copyOf(full, full.length / 2));
    assertThatThrownBy(() -> convert(env, hour))
        .isInstanceOf(HourConverter.HourFailedException.class)
        .hasMessageContaining("is a truncated gzip file");
    assertNoOutput(env, hour);
  }

  @Test
  void notGzipFailsTheHour(Environment env) {
    Hour hour = put(env, lines(good(1)));
    assertThatThrownBy(() -> convert(env, hour)).hasMessageContaining("is not a gzip file");
    assertNoOutput(env, hour);
  }

  @Test
  void emptyFileFailsTheHourButAnEmptyGzipConvertsToNoEvents(Environment env)
      throws IOException {
    Hour empty = put(env, new byte[0]);
    assertThatThrownBy(() -> convert(env, empty)).hasMessageContaining("is empty (0 bytes)");
    assertNoOutput(env, empty);

    Hour nothing = put(env, gzip(new byte[0]));
    HourResult r = convert(env, nothing);
    assertThat(r.events()).isZero();
    assertThat(r.quarantined()).isZero();
    assertThat(env.storage().stat(ObjectRef.of("gha-lake", nothing.lakePrefix()
        + HourConverter.PART))).isPresent();
  }

  @Test
  void badLinesAreQuarantinedWithLineNumberAndReasonAndTheHourConverts(Environment env)
      throws IOException {
    byte[] nul = lines(good(10)).clone();
    nul[20] = 0;
    byte[] utf8 = lines(good(11)).clone();
    utf8[40] = (byte) 0xff;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.write(lines(good(1), "{\"id\":\"2\",\"type\":", "[1,2]", "not json at all",
        good(3).substring(0, 50) + good(4)));
    raw.write(Arrays.copyOf(nul, nul.length));
    raw.write(utf8);
    raw.write(lines(good(5)));
    Hour hour = put(env, gzip(raw.toByteArray()));
    HourResult r = convert(env, hour);

    assertThat(r.events()).isEqualTo(2);
    assertThat(r.quarantined()).isEqualTo(6);
    List<JsonNode> q = quarantine(env.storage(), hour);
    assertThat(q).extracting(n -> n.get("line").asInt()).containsExactly(2, 3, 4, 5, 6, 7);
    assertThat(q.get(0).get("reason").asText()).startsWith("truncated JSON");
    assertThat(q.get(1).get("reason").asText()).isEqualTo("not a JSON object");
    assertThat(q.get(2).get("reason").asText()).startsWith("invalid JSON");
    assertThat(q.get(3).get("reason").asText()).containsAnyOf("invalid JSON", "trailing content");
    assertThat(q.get(4).get("reason").asText()).isEqualTo("NUL byte at offset 20");
    assertThat(q.get(5).get("reason").asText()).startsWith("invalid UTF-8 byte 0xff at offset 40");
  }

  @Test
  void aTwentyMegabyteLineConvertsWithBoundedBuffers(Environment env) throws IOException {
    String big = GOOD.replace("\"payload\":{}", "\"payload\":{\"blob\":\""
        + "x".repeat(20 * 1024 * 1024) + "\"}");
    Hour hour = put(env, gzip(lines(good(1), big.replace("\"id\":\"1\"", "\"id\":\"2\""))));
    HourResult r = convert(env, hour);
    assertThat(r.events()).isEqualTo(2);
    assertThat(r.quarantined()).isZero();

    // A line over the limit is quarantined, not held whole.
    Hour limited = put(env, gzip(lines(good(1), big.replace("\"id\":\"1\"", "\"id\":\"2\""))));
    HourResult small = new HourConverter(env.storage(), "gha-raw", "gha-lake", 1024 * 1024)
        .convert(limited, false);
    assertThat(small.events()).isEqualTo(1);
    assertThat(quarantine(env.storage(), limited).get(0).get("reason").asText())
        .startsWith("line longer than 1048576 bytes");
  }

  @Test
  void duplicateIdsAreKeptOnceAndCounted(Environment env) throws IOException {
    Hour hour = put(env, gzip(lines(good(1), good(2), good(1), good(3), good(2), good(1))));
    HourResult r = convert(env, hour);
    assertThat(r.events()).isEqualTo(3);
    assertThat(r.duplicates()).isEqualTo(3);
    assertThat(r.quarantined()).isZero();
  }

  @Test
  void aReRunReplacesTheHourWholeAndClearsItsQuarantine(Environment env) throws IOException {
    Hour hour = put(env, gzip(lines(good(1), "bad")));
    assertThat(convert(env, hour).quarantined()).isEqualTo(1);
    env.storage().put(ObjectRef.of("gha-lake", hour.lakePrefix() + "part-99999.parquet"),
        new byte[] {1});
    env.storage().put(ObjectRef.of("gha-raw", hour.rawKey()), gzip(lines(good(1), good(2))));
    HourResult r = convert(env, hour);
    assertThat(r.status()).isEqualTo("converted");
    assertThat(r.events()).isEqualTo(2);
    assertThat(env.storage().list("gha-lake", hour.lakePrefix()).map(i -> i.ref().key()))
        .containsExactly(hour.lakePrefix() + HourConverter.PART);
    assertThat(env.storage().stat(ObjectRef.of("gha-lake", hour.quarantineKey()))).isEmpty();
    assertThat(convert(env, hour).status()).isEqualTo("unchanged");
  }
}
