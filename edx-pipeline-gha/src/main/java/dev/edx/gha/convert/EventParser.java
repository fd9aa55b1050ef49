package dev.edx.gha.convert;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.edx.gha.Hour;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one line of a GH Archive file into a {@link GhaEvent}, normalizing both eras (see the
 * module README for the mapping). Streaming: the payload is copied token by token, never built as
 * a tree. Not thread safe; one per converting thread.
 */
final class EventParser {
  /** Timeline (2011) timestamps such as {@code 2011/02/12 00:00:05 -0800}. */
  private static final DateTimeFormatter SLASHED =
      DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss Z");

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class,
          java.nio.ByteOrder.LITTLE_ENDIAN);

  private final JsonFactory factory;
  private final MessageDigest sha256;
  /** Reused buffer of {@link #copy}. */
  private final ByteArrayBuilder copyBuffer = new ByteArrayBuilder(8192);

  EventParser(int maxLineBytes) {
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(maxLineBytes).maxNumberLength(1000).build())
        .build();
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash: the JDK has no SHA-256", e);
    }
  }

  /** A number kept as its JSON text, so re-serialized fields stay exactly as in the source. */
  private record JsonNumber(String text) {}

  /**
   * Parses {@code line[0..length)} (without the newline).
   *
   * @throws BadLineException with the reason when the line is not an event
   */
  GhaEvent parse(byte[] line, int length, Hour hour) throws BadLineException {
    return parse(line, 0, length, hour);
  }

  /** Parses {@code line[offset..offset + length)} (without the newline). */
  GhaEvent parse(byte[] line, int offset, int length, Hour hour) throws BadLineException {
    checkBytes(line, offset, length);
    try (JsonParser p = factory.createParser(line, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadLineException("not a JSON object");
      }
      GhaEvent event = readEvent(p, line, offset, length, hour);
      if (p.nextToken() != null) {
        throw new BadLineException("trailing content after the event object at column "
            + p.currentLocation().getColumnNr());
      }
      return event;
    } catch (JsonEOFException e) {
      throw new BadLineException("truncated JSON: " + e.getOriginalMessage());
    } catch (JsonParseException e) {
      throw new BadLineException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot parse a line held in memory", e);
    }
  }

  /** NUL bytes and invalid UTF-8 are named precisely, before the JSON parser sees them. */
  private static void checkBytes(byte[] bytes, int offset, int length)
      throws BadLineException {
    byte[] b = bytes;
    int base = offset;
    int i = 0;
    while (i < length) {
      // Eight ASCII bytes without a NUL at a time; anything else takes the byte-wise path.
      if (i + 8 <= length) {
        long v = (long) LONGS.get(b, base + i);
        if (((v | ((v - 0x0101010101010101L) & ~v)) & 0x8080808080808080L) == 0) {
          i += 8;
          continue;
        }
      }
      int c = b[base + i] & 0xff;
      if (c < 0x80) {
        if (c == 0) {
          throw new BadLineException("NUL byte at offset " + i);
        }
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        min = 0x10000;
      } else {
        throw new BadLineException("invalid UTF-8 byte 0x" + Integer.toHexString(c)
            + " at offset " + i);
      }
      if (i + n >= length) {
        throw new BadLineException("invalid UTF-8: sequence cut short at offset " + i);
      }
      int cp = c & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        int cc = b[base + i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          throw new BadLineException("invalid UTF-8 continuation byte 0x"
              + Integer.toHexString(cc) + " at offset " + (i + k));
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw new BadLineException("invalid UTF-8 sequence at offset " + i);
      }
      i += n + 1;
    }
  }

  private GhaEvent readEvent(JsonParser p, byte[] line, int offset, int length, Hour hour)
      throws IOException, BadLineException {
    String id = null;
    String type = null;
    Boolean isPublic = null;
    byte[] payload = null;
    String createdAt = null;
    Object actor = null;
    Map<String, Object> repo = null;
    Map<String, Object> org = null;
    Map<String, Object> other = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "id" -> id = scalarText(p, name);
        case "type" -> type = scalarText(p, name);
        case "public" -> isPublic = value == JsonToken.VALUE_NULL ? null
            : value.isBoolean() ? p.getBooleanValue() : badType(name, value);
        case "created_at" -> createdAt = scalarText(p, name);
        case "payload" -> payload = value == JsonToken.VALUE_NULL ? null : copy(p);
        case "actor" -> actor = readValue(p);
        case "repo" -> repo = objectOrNull(name, readValue(p));
        case "org" -> org = objectOrNull(name, readValue(p));
        default -> other.put(name, readValue(p));
      }
    }
    if (type == null) {
      throw new BadLineException("no 'type'");
    }
    if (createdAt == null) {
      throw new BadLineException("no 'created_at'");
    }
    Instant created = instant(createdAt);

    // Timeline API (2011-2014): actor is a login, with actor_attributes and repository beside it.
    Map<String, Object> attributes =
        objectOrNull("actor_attributes", other.get("actor_attributes"));
    Map<String, Object> repository = objectOrNull("repository", other.get("repository"));
    GhaEvent.Actor actorRecord;
    if (actor instanceof Map<?, ?> a) {
      actorRecord = new GhaEvent.Actor(number(a.get("id")), text(a.get("login")),
          text(a.get("display_login")), text(a.get("gravatar_id")), text(a.get("avatar_url")),
          text(a.get("url")));
    } else if (actor instanceof String login || attributes != null) {
      String login = actor instanceof String s ? s
          : attributes == null ? null : text(attributes.get("login"));
      actorRecord = new GhaEvent.Actor(number(attributes == null ? null : attributes.get("id")),
          login, null, attributes == null ? null : text(attributes.get("gravatar_id")), null, null);
    } else if (actor == null) {
      actorRecord = null;
    } else {
      throw new BadLineException("'actor' is neither an object nor a login");
    }
    GhaEvent.Repo repoRecord = null;
    if (repo != null) {
      repoRecord = new GhaEvent.Repo(number(repo.get("id")), text(repo.get("name")),
          text(repo.get("url")));
    } else if (repository != null) {
      String owner = text(repository.get("owner"));
      String repoName = text(repository.get("name"));
      repoRecord = new GhaEvent.Repo(number(repository.get("id")),
          owner == null ? repoName : owner + "/" + repoName, text(repository.get("url")));
    }
    GhaEvent.Org orgRecord = null;
    if (org != null) {
      orgRecord = new GhaEvent.Org(number(org.get("id")), text(org.get("login")),
          text(org.get("gravatar_id")), text(org.get("avatar_url")), text(org.get("url")));
    } else if (repository != null && repository.get("organization") instanceof String login) {
      orgRecord = new GhaEvent.Org(null, login, null, null, null);
    }
    if (id == null) {
      id = timelineId(line, offset, length);
    }
    return new GhaEvent(id, type, isPublic, payload, repoRecord, actorRecord, orgRecord, created,
        other.isEmpty() ? null : write(other), hour);
  }

  /**
   * The id of an event that has none (Timeline API): {@code tl-} and the first 16 hex digits of
   * the SHA-256 of the line's bytes. Identical lines get identical ids, so they are deduplicated.
   */
  private String timelineId(byte[] line, int offset, int length) {
    sha256.reset();
    sha256.update(line, offset, length);
    return "tl-" + HexFormat.of().formatHex(sha256.digest(), 0, 8);
  }

  /** The 64-bit key the deduplication set keeps for {@code id}. */
  static long idKey(String id) {
    if (id.startsWith("tl-") && id.length() == 19) {
      return Long.parseUnsignedLong(id.substring(3), 16);
    }
    if (!id.isEmpty() && id.length() <= 18 && id.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(id);
    }
    long h = 1125899906842597L;
    for (int i = 0; i < id.length(); i++) {
      h = 31 * h + id.charAt(i);
    }
    return h ^ 0x5bd1e9955bd1e995L;
  }

  private static Instant instant(String text) throws BadLineException {
    Instant fast = utcSeconds(text);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text, SLASHED).toInstant();
      } catch (DateTimeParseException e2) {
        throw new BadLineException("unreadable created_at '" + text + "'");
      }
    }
  }

  /**
   * {@code YYYY-MM-DDTHH:MM:SSZ}, the Events API's form, read without a formatter; null for any
   * other form (the formatters handle it, and validate it).
   */
  private static Instant utcSeconds(String t) {
    if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
        || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59) {
      return null;
    }
    long days;
    try {
      days = java.time.LocalDate.of(year, month, day).toEpochDay();
    } catch (java.time.DateTimeException e) {
      return null; // the validating path names the bad value
    }
    return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second);
  }

  private static int digits(String t, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String scalarText(JsonParser p, String name) throws IOException,
      BadLineException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t.isScalarValue()) {
      return p.getText();
    }
    return badType(name, t);
  }

  private static <T> T badType(String name, JsonToken t) throws BadLineException {
    throw new BadLineException("'" + name + "' has an unexpected " + t);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> objectOrNull(String name, Object value)
      throws BadLineException {
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new BadLineException("'" + name + "' is not an object");
  }

  private static String text(Object value) {
    if (value == null || value instanceof Map || value instanceof List) {
      return null;
    }
    return value instanceof JsonNumber n ? n.text() : value.toString();
  }

  private static Long number(Object value) {
    String s = value instanceof JsonNumber n ? n.text() : value instanceof String t ? t : null;
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Copies the current value as compact JSON text, in UTF-8. */
  private byte[] copy(JsonParser p) throws IOException {
    copyBuffer.reset();
    try (JsonGenerator g = factory.createGenerator(copyBuffer, JsonEncoding.UTF8)) {
      g.copyCurrentStructure(p);
    }
    return copyBuffer.toByteArray();
  }

  private static Object readValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, readValue(p));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(p));
        }
        return list;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return new JsonNumber(p.getText());
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  private String write(Object value) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = factory.createGenerator(w)) {
      writeValue(g, value);
    }
    return w.toString();
  }

  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName((String) e.getKey());
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) {
        writeValue(g, item);
      }
      g.writeEndArray();
    } else if (value instanceof JsonNumber n) {
      g.writeNumber(n.text());
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof String s) {
      g.writeString(s);
    } else {
      g.writeNull();
    }
  }
}
