package dev.edx.gha.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edx.gha.Hour;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/** The event parser: the column mapping of both eras and strict JSON validation. */
class EventParserTest {
  private static final Hour HOUR = Hour.of(2015, 1, 1, 15);
  private static final String PAYLOAD = "{\"a\": [1, 2.5e3, -0, true, null],"
      + " \"t\":\"caf\\u00e9 \\\"q\\\" \\/\"}";
  private static final String EVENT = "{\"id\":\"2489651045\",\"type\":\"PushEvent\","
      + "\"actor\":{\"id\":7,\"login\":\"j\\u00e9r\",\"gravatar_id\":\"\",\"url\":\"u\","
      + "\"avatar_url\":\"a\",\"extra\":{\"x\":1}},\"repo\":{\"id\":\"9\",\"name\":\"a/b\","
      + "\"url\":\"r\"},\"payload\":" + PAYLOAD + ",\"public\":true,"
      + "\"created_at\":\"2015-01-01T15:00:01Z\",\"org\":{\"id\":5,\"login\":\"o\"}}";
  private static final ObjectMapper JACKSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final EventParser parser = new EventParser();

  private GhaEvent parse(String line) throws BadLineException {
    byte[] b = ("  " + line).getBytes(StandardCharsets.UTF_8);
    return parser.parse(b, 2, b.length - 2, HOUR);
  }

  private static String text(Binary b) {
    return b == null ? null : b.toStringUsingUTF8();
  }

  @Test
  void readsAnEventsApiLineAndKeepsThePayloadsBytes() throws BadLineException {
    GhaEvent e = parse(EVENT);
    assertThat(text(e.id())).isEqualTo("2489651045");
    assertThat(e.idKey()).isEqualTo(2489651045L);
    assertThat(text(e.type())).isEqualTo("PushEvent");
    assertThat(e.isPublic()).isTrue();
    assertThat(text(e.payload())).isEqualTo(PAYLOAD);
    assertThat(e.createdAtMicros())
        .isEqualTo(Instant.parse("2015-01-01T15:00:01Z").getEpochSecond() * 1_000_000L);
    assertThat(e.actor().id()).isEqualTo(7L);
    assertThat(text(e.actor().login())).isEqualTo("jér");
    assertThat(text(e.actor().gravatarId())).isEmpty();
    assertThat(e.actor().displayLogin()).isNull();
    assertThat(text(e.actor().avatarUrl())).isEqualTo("a");
    assertThat(e.repo().id()).isEqualTo(9L);
    assertThat(text(e.repo().name())).isEqualTo("a/b");
    assertThat(e.org().id()).isEqualTo(5L);
    assertThat(text(e.org().login())).isEqualTo("o");
    assertThat(e.org().url()).isNull();
    assertThat(e.other()).isNull();
  }

  @Test
  void otherKeepsTheFieldsOutsideTheColumnsAsTheirSourceBytesInOrder() throws BadLineException {
    GhaEvent e = parse("{\"b\" : {\"c\": [1, 2]},\"type\":\"X\",\"created_at\":"
        + "\"2015-01-01T15:00:00Z\",\"a\":null,\"payload\":null}");
    assertThat(text(e.other())).isEqualTo("{\"b\":{\"c\": [1, 2]},\"a\":null}");
    assertThat(e.payload()).isNull();
    assertThat(e.actor()).isNull();
    assertThat(e.repo()).isNull();
    assertThat(e.isPublic()).isNull();
    assertThat(text(e.id())).startsWith("tl-").hasSize(19);
  }

  @Test
  void readsATimelineLine() throws BadLineException {
    String line = "{\"created_at\":\"2012-06-14T08:00:01-07:00\",\"payload\":{\"size\":1},"
        + "\"public\":false,\"type\":\"PushEvent\",\"url\":\"https://github.com/o/r\","
        + "\"actor\":\"someone\",\"actor_attributes\":{\"login\":\"someone\","
        + "\"gravatar_id\":\"g\"},\"repository\":{\"id\":42,\"name\":\"r\",\"owner\":\"o\","
        + "\"url\":\"https://github.com/o/r\",\"organization\":\"o\"}}";
    GhaEvent e = parse(line);
    GhaEvent again = parse(line);
    assertThat(text(e.id())).startsWith("tl-").hasSize(19).isEqualTo(text(again.id()));
    assertThat(e.idKey()).isEqualTo(EventParser.idKey(e.id()));
    assertThat(e.createdAtMicros())
        .isEqualTo(Instant.parse("2012-06-14T15:00:01Z").getEpochSecond() * 1_000_000L);
    assertThat(text(e.actor().login())).isEqualTo("someone");
    assertThat(text(e.actor().gravatarId())).isEqualTo("g");
    assertThat(e.actor().id()).isNull();
    assertThat(e.repo().id()).isEqualTo(42L);
    assertThat(text(e.repo().name())).isEqualTo("o/r");
    assertThat(text(e.org().login())).isEqualTo("o");
    assertThat(e.org().id()).isNull();
    assertThat(e.isPublic()).isFalse();
    assertThat(text(e.other())).isEqualTo("{\"url\":\"https://github.com/o/r\","
        + "\"actor_attributes\":{\"login\":\"someone\",\"gravatar_id\":\"g\"},"
        + "\"repository\":{\"id\":42,\"name\":\"r\",\"owner\":\"o\","
        + "\"url\":\"https://github.com/o/r\",\"organization\":\"o\"}}");
  }

  @Test
  void namesWhatIsWrong() {
    String tail = ",\"type\":\"X\",\"created_at\":\"2015-01-01T15:00:00Z\"}";
    assertReason("[1, 2]", "not a JSON object");
    assertReason("{\"a\":01" + tail, "invalid JSON");
    assertReason("{\"a\":\"x\\q\"" + tail, "invalid JSON: unrecognized escape");
    assertReason("{\"a\":\"x\u0001\"" + tail, "invalid JSON: unescaped control character");
    assertReason("{\"a\":[1,]" + tail, "invalid JSON");
    assertReason("{\"a\":tru" + tail, "invalid JSON");
    assertReason("{\"a\":\"abc", "truncated JSON");
    assertReason("{\"a\":1" + tail + " x", "trailing content after the event object");
    assertReason("{\"type\":{}" + tail.substring(11), "'type' has an unexpected START_OBJECT");
    assertReason("{\"public\":\"yes\"" + tail, "'public' has an unexpected VALUE_STRING");
    assertReason("{\"repo\":1" + tail, "'repo' is not an object");
    assertReason("{\"actor\":[]" + tail, "'actor' is neither an object nor a login");
    assertReason("{\"created_at\":\"2015-01-01T15:00:00Z\"}", "no 'type'");
    assertReason("{\"type\":\"X\",\"created_at\":\"yesterday\"}",
        "unreadable created_at 'yesterday'");
    String deep = "[".repeat(EventParser.MAX_DEPTH) + "]".repeat(EventParser.MAX_DEPTH);
    assertReason("{\"a\":" + deep + tail, "invalid JSON: nesting deeper than");
    String ok = "[".repeat(EventParser.MAX_DEPTH - 1) + "]".repeat(EventParser.MAX_DEPTH - 1);
    assertReason("{\"a\":" + ok + tail, null);
  }

  private void assertReason(String line, String reason) {
    if (reason == null) {
      assertThatCode(line);
      return;
    }
    assertThatThrownBy(() -> parse(line)).as(line).isInstanceOf(BadLineException.class)
        .message().startsWith(reason);
  }

  private void assertThatCode(String line) {
    try {
      parse(line);
    } catch (BadLineException e) {
      throw new AssertionError(line + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every truncation, deletion and single-byte substitution of an event line: the parser calls
   * it bad JSON exactly when Jackson (strict, no trailing tokens) refuses it.
   */
  @Test
  void agreesWithJacksonOnWhatIsValidJson() {
    String good = EVENT;
    List<String> variants = new ArrayList<>();
    String swaps = "\"\\{}[]:,0-e.+ \tx\u0001";
    for (int i = 1; i < good.length(); i++) {
      variants.add(good.substring(0, i));
      variants.add(good.substring(0, i) + good.substring(i + 1));
      for (char c : swaps.toCharArray()) {
        variants.add(good.substring(0, i) + c + good.substring(i + 1));
      }
    }
    int checked = 0;
    for (String v : variants) {
      boolean jackson;
      try {
        JACKSON.readTree(v);
        jackson = true;
      } catch (java.io.IOException e) {
        jackson = false;
      }
      String reason = null;
      try {
        parse(v);
      } catch (BadLineException e) {
        reason = e.getMessage();
      }
      boolean ours = reason == null || !(reason.startsWith("invalid JSON")
          || reason.startsWith("truncated JSON") || reason.startsWith("trailing content"));
      assertThat(ours).as("%s: Jackson %s, ours %s", v, jackson, reason).isEqualTo(jackson);
      checked++;
    }
    assertThat(checked).isGreaterThan(5000);
  }
}
