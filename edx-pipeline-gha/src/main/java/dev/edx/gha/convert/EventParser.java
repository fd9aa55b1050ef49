package dev.edx.gha.convert;

import dev.edx.gha.Hour;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.parquet.io.api.Binary;

/**
 * Parses one line of a GH Archive file into a {@link GhaEvent}, normalizing both eras (see the
 * module README for the mapping). A single pass over the line's bytes validates the whole line as
 * strict JSON (RFC 8259: string escapes, control characters, number grammar, nesting up to
 * {@value #MAX_DEPTH} levels, numbers up to {@value #MAX_NUMBER_LENGTH} characters) and reads the
 * columns; {@code payload} and {@code other} keep the source's bytes, never re-serialized, and
 * texts without escapes are slices of the line, never decoded. Not thread safe; one per
 * converting thread.
 */
final class EventParser {
  /** Deepest nesting of objects and arrays accepted (as Jackson's default). */
  static final int MAX_DEPTH = 1000;
  /** Longest number accepted, in characters (as Jackson's default). */
  static final int MAX_NUMBER_LENGTH = 1000;

  /** Timeline (2011) timestamps such as {@code 2011/02/12 00:00:05 -0800}. */
  private static final DateTimeFormatter SLASHED =
      DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss Z");

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class,
          java.nio.ByteOrder.LITTLE_ENDIAN);

  private static final Binary TRUE = Binary.fromConstantByteArray(bytes("true"));
  private static final Binary FALSE = Binary.fromConstantByteArray(bytes("false"));

  // Top-level fields read into columns; any other goes to `other`.
  private static final int F_OTHER = -1;
  private static final int F_ID = 0;
  private static final int F_TYPE = 1;
  private static final int F_PUBLIC = 2;
  private static final int F_CREATED_AT = 3;
  private static final int F_PAYLOAD = 4;
  private static final int F_ACTOR = 5;
  private static final int F_REPO = 6;
  private static final int F_ORG = 7;
  private static final int F_ACTOR_ATTRIBUTES = 8;
  private static final int F_REPOSITORY = 9;
  private static final byte[][] TOP = keys("id", "type", "public", "created_at", "payload",
      "actor", "repo", "org", "actor_attributes", "repository");

  private final MessageDigest sha256;
  private final Fields top = new Fields(TOP);
  private final Fields actor = new Fields(keys("id", "login", "display_login", "gravatar_id",
      "avatar_url", "url"));
  private final Fields repo = new Fields(keys("id", "name", "url"));
  private final Fields org = new Fields(keys("id", "login", "gravatar_id", "avatar_url", "url"));
  private final Fields attributes = new Fields(keys("id", "login", "gravatar_id"));
  private final Fields repository = new Fields(keys("id", "owner", "name", "url",
      "organization"));
  /** Name and value bounds of the fields that go to {@code other}: 4 ints per field. */
  private int[] others = new int[32];
  private int otherCount;
  /** The first field that should be an object and is not, if any. */
  private String notAnObject;
  private byte[] stack = new byte[64];

  // The line being parsed, and the value read last: its first byte, bounds and escapes.
  private byte[] b;
  private int base;
  private int pos;
  private int end;
  private byte kind;
  private int start;
  private boolean escaped;

  EventParser() {
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash: the JDK has no SHA-256", e);
    }
  }

  /**
   * Parses {@code line[0..length)} (without the newline).
   *
   * @throws BadLineException with the reason when the line is not an event
   */
  GhaEvent parse(byte[] line, int length, Hour hour) throws BadLineException {
    return parse(line, 0, length, hour);
  }

  /**
   * Parses {@code line[offset..offset + length)} (without the newline). The event's texts are
   * slices of {@code line}, which must not change afterwards.
   */
  GhaEvent parse(byte[] line, int offset, int length, Hour hour) throws BadLineException {
    checkBytes(line, offset, length);
    b = line;
    base = offset;
    pos = offset;
    end = offset + length;
    skipWhitespace();
    if (pos == end) {
      throw new BadLineException("not a JSON object");
    }
    if (b[pos] != '{') {
      value(0);
      skipWhitespace();
      if (pos < end) {
        throw invalid("trailing content after a value", pos);
      }
      throw new BadLineException("not a JSON object");
    }
    return readEvent(hour);
  }

  private GhaEvent readEvent(Hour hour) throws BadLineException {
    otherCount = 0;
    notAnObject = null;
    attributes.reset();
    repository.reset();
    actor.reset();
    repo.reset();
    org.reset();
    Fields f = top;
    f.reset();
    byte actorKind = 0;
    int actorStart = 0;
    int actorEnd = 0;
    boolean actorEscaped = false;
    pos++;
    skipWhitespace();
    if (pos < end && b[pos] == '}') {
      pos++;
    } else {
      while (true) {
        int nameStart = pos;
        int field = name(f);
        int nameEnd = pos;
        colon();
        switch (field) {
          case F_ACTOR -> {
            if (peek() == '{') {
              object(actor, 1);
              actorKind = '{';
            } else {
              value(1);
              actorKind = kind;
              actorStart = start;
              actorEnd = pos;
              actorEscaped = escaped;
            }
          }
          case F_REPO -> objectOrNull(repo, "repo");
          case F_ORG -> objectOrNull(org, "org");
          case F_ACTOR_ATTRIBUTES, F_REPOSITORY -> {
            int valueStart = pos;
            objectOrNull(field == F_REPOSITORY ? repository : attributes, field == F_REPOSITORY
                ? "repository" : "actor_attributes");
            addOther(nameStart, nameEnd, valueStart, pos);
          }
          case F_OTHER -> {
            value(1);
            addOther(nameStart, nameEnd, start, pos);
          }
          default -> {
            value(1);
            f.set(field, kind, start, pos, escaped);
          }
        }
        skipWhitespace();
        byte c = next("the event object");
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw invalid("expected ',' or '}' after a field of the event object", pos - 1);
        }
        skipWhitespace();
      }
    }
    skipWhitespace();
    if (pos < end) {
      throw new BadLineException("trailing content after the event object at column "
          + column());
    }
    if (notAnObject != null) {
      throw new BadLineException(notAnObject);
    }
    Binary id = scalarText(f, F_ID, "id");
    Binary type = scalarText(f, F_TYPE, "type");
    Boolean isPublic = switch (f.kind[F_PUBLIC]) {
      case 0, 'n' -> null;
      case 't' -> Boolean.TRUE;
      case 'f' -> Boolean.FALSE;
      default -> throw badType("public", f.kind[F_PUBLIC]);
    };
    Binary createdAt = scalarText(f, F_CREATED_AT, "created_at");
    if (type == null) {
      throw new BadLineException("no 'type'");
    }
    if (createdAt == null) {
      throw new BadLineException("no 'created_at'");
    }
    long created = micros(createdAt);
    byte pk = f.kind[F_PAYLOAD];
    Binary payload = pk == 0 || pk == 'n' ? null : slice(f.start[F_PAYLOAD], f.end[F_PAYLOAD]);

    // Timeline API (2011-2014): actor is a login, with actor_attributes and repository beside it.
    GhaEvent.Actor actorRecord;
    if (actorKind == '{') {
      Fields a = actor;
      actorRecord = new GhaEvent.Actor(number(a, 0), text(a, 1), text(a, 2), text(a, 3),
          text(a, 4), text(a, 5));
    } else if (actorKind == '"' || attributes.present) {
      Binary login = actorKind == '"'
          ? text(actorKind, actorStart, actorEnd, actorEscaped) : text(attributes, 1);
      actorRecord = new GhaEvent.Actor(number(attributes, 0), login, null,
          text(attributes, 2), null, null);
    } else if (actorKind == 0 || actorKind == 'n') {
      actorRecord = null;
    } else {
      throw new BadLineException("'actor' is neither an object nor a login");
    }
    GhaEvent.Repo repoRecord = null;
    if (repo.present) {
      repoRecord = new GhaEvent.Repo(number(repo, 0), text(repo, 1), text(repo, 2));
    } else if (repository.present) {
      Binary owner = text(repository, 1);
      Binary name = text(repository, 2);
      repoRecord = new GhaEvent.Repo(number(repository, 0), owner == null ? name
          : Binary.fromString(owner.toStringUsingUTF8() + "/"
              + (name == null ? null : name.toStringUsingUTF8())), text(repository, 3));
    }
    GhaEvent.Org orgRecord = null;
    if (org.present) {
      orgRecord = new GhaEvent.Org(number(org, 0), text(org, 1), text(org, 2), text(org, 3),
          text(org, 4));
    } else if (repository.present && repository.kind[4] == '"') {
      orgRecord = new GhaEvent.Org(null, text(repository, 4), null, null, null);
    }
    if (id == null) {
      id = timelineId();
    }
    return new GhaEvent(id, idKey(id), type, isPublic, payload, repoRecord, actorRecord,
        orgRecord, created, otherCount == 0 ? null : other(), hour);
  }

  /**
   * Reads an object into {@code fields}, or a null; anything else is noted in
   * {@link #notAnObject} (reported once the whole line is known to be JSON).
   */
  private void objectOrNull(Fields fields, String name) throws BadLineException {
    if (peek() == '{') {
      object(fields, 1);
    } else {
      value(1);
      if (kind != 'n' && notAnObject == null) {
        notAnObject = "'" + name + "' is not an object";
      }
      fields.reset();
    }
  }

  private void addOther(int nameStart, int nameEnd, int valueStart, int valueEnd) {
    if (otherCount * 4 + 4 > others.length) {
      others = Arrays.copyOf(others, others.length * 2);
    }
    int i = otherCount++ * 4;
    others[i] = nameStart;
    others[i + 1] = nameEnd;
    others[i + 2] = valueStart;
    others[i + 3] = valueEnd;
  }

  /** The fields outside the columns, as one JSON object of their source bytes, in order. */
  private Binary other() {
    int n = 2;
    for (int i = 0; i < otherCount * 4; i += 4) {
      n += others[i + 1] - others[i] + 1 + others[i + 3] - others[i + 2] + 1;
    }
    byte[] out = new byte[n - 1];
    out[0] = '{';
    int o = 1;
    for (int i = 0; i < otherCount * 4; i += 4) {
      if (i > 0) {
        out[o++] = ',';
      }
      int len = others[i + 1] - others[i];
      System.arraycopy(b, others[i], out, o, len);
      o += len;
      out[o++] = ':';
      len = others[i + 3] - others[i + 2];
      System.arraycopy(b, others[i + 2], out, o, len);
      o += len;
    }
    out[o] = '}';
    return Binary.fromConstantByteArray(out);
  }

  /**
   * The id of an event that has none (Timeline API): {@code tl-} and the first 16 hex digits of
   * the SHA-256 of the line's bytes. Identical lines get identical ids, so they are deduplicated.
   */
  private Binary timelineId() {
    sha256.reset();
    sha256.update(b, base, end - base);
    return Binary.fromString("tl-" + HexFormat.of().formatHex(sha256.digest(), 0, 8));
  }

  /** The 64-bit key the deduplication set keeps for {@code id} (UTF-8). */
  static long idKey(Binary id) {
    ByteBuffer buffer = id.toByteBuffer();
    return idKey(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
  }

  private static long idKey(byte[] bytes, int off, int n) {
    if (n == 19 && bytes[off] == 't' && bytes[off + 1] == 'l' && bytes[off + 2] == '-') {
      long v = 0;
      boolean hex = true;
      for (int i = 3; i < n && hex; i++) {
        int d = Character.digit(bytes[off + i], 16);
        hex = d >= 0;
        v = (v << 4) | d;
      }
      if (hex) {
        return v;
      }
    }
    if (n > 0 && n <= 18) {
      long v = 0;
      boolean digits = true;
      for (int i = off; i < off + n && digits; i++) {
        digits = bytes[i] >= '0' && bytes[i] <= '9';
        v = v * 10 + (bytes[i] - '0');
      }
      if (digits) {
        return v;
      }
    }
    long h = 1125899906842597L;
    for (int i = off; i < off + n; i++) {
      h = 31 * h + bytes[i];
    }
    return h ^ 0x5bd1e9955bd1e995L;
  }

  // ---- reading values

  /** Reads a field name, matched against {@code fields}' keys; returns its index or -1. */
  private int name(Fields fields) throws BadLineException {
    if (pos >= end) {
      throw truncated("an object");
    }
    if (b[pos] != '"') {
      throw invalid("expected a field name", pos);
    }
    int s = pos;
    string();
    if (escaped) {
      return fields.indexOf(bytes(decode(s + 1, pos - 1)), 0, -1);
    }
    return fields.indexOf(b, s + 1, pos - 1);
  }

  private void colon() throws BadLineException {
    skipWhitespace();
    if (next("an object") != ':') {
      throw invalid("expected ':' after a field name", pos - 1);
    }
    skipWhitespace();
  }

  /** Reads an object into {@code fields} (the values of their keys), validating the rest. */
  private void object(Fields fields, int depth) throws BadLineException {
    fields.reset();
    fields.present = true;
    pos++;
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      int field = name(fields);
      colon();
      value(depth + 1);
      if (field >= 0) {
        fields.set(field, kind, start, pos, escaped);
      }
      skipWhitespace();
      byte c = next("an object");
      if (c == '}') {
        return;
      }
      if (c != ',') {
        throw invalid("expected ',' or '}' in an object", pos - 1);
      }
      skipWhitespace();
    }
  }

  private byte peek() throws BadLineException {
    if (pos >= end) {
      throw truncated("a value");
    }
    return b[pos];
  }

  private byte next(String inside) throws BadLineException {
    if (pos >= end) {
      throw truncated(inside);
    }
    return b[pos++];
  }

  /**
   * Reads (validates) one value at {@code pos}, at nesting depth {@code depth}: sets
   * {@link #kind} (its first byte, {@code 0} for a number), {@link #start} and {@link #escaped};
   * {@link #pos} ends after it.
   */
  private void value(int depth) throws BadLineException {
    start = pos;
    escaped = false;
    byte c = peek();
    if (c == '{' || c == '[') {
      container(depth);
      kind = c;
    } else {
      scalar();
    }
  }

  /** A string, number or literal at {@code pos}. */
  private void scalar() throws BadLineException {
    byte c = peek();
    kind = c;
    switch (c) {
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          number();
          kind = '0';
        } else {
          throw invalid("unexpected character " + describe(c), pos);
        }
      }
    }
  }

  /** An object or array, validated without recursion. */
  private void container(int depth) throws BadLineException {
    byte[] st = stack;
    int d = 0;
    st[d++] = b[pos++];
    boolean first = true;
    if (depth + d > MAX_DEPTH) {
      throw invalid("nesting deeper than " + MAX_DEPTH + " levels", pos - 1);
    }
    while (d > 0) {
      skipWhitespace();
      byte open = st[d - 1];
      byte close = open == '{' ? (byte) '}' : (byte) ']';
      byte c = peek();
      if (c == close) {
        pos++;
        d--;
        first = false;
        continue;
      }
      if (!first) {
        if (c != ',') {
          throw invalid("expected ',' or '" + (char) close + "'", pos);
        }
        pos++;
        skipWhitespace();
        c = peek();
      }
      if (open == '{') {
        if (c != '"') {
          throw invalid("expected a field name", pos);
        }
        string();
        colon();
        c = peek();
      } else if (c == ']' && !first) {
        throw invalid("expected a value after ','", pos);
      }
      if (c == '{' || c == '[') {
        if (d == st.length) {
          st = Arrays.copyOf(st, d * 2);
          stack = st;
        }
        st[d++] = c;
        pos++;
        first = true;
        if (depth + d > MAX_DEPTH) {
          throw invalid("nesting deeper than " + MAX_DEPTH + " levels", pos - 1);
        }
      } else {
        scalar();
        first = false;
      }
    }
  }

  /** A string at {@code pos} (its opening quote); sets {@link #escaped}. */
  private void string() throws BadLineException {
    int p = pos + 1;
    boolean esc = false;
    byte[] bb = b;
    int e = end;
    while (true) {
      // Eight bytes at a time while none is a quote, a backslash or a control character.
      while (p + 8 <= e) {
        long v = (long) LONGS.get(bb, p);
        long quote = v ^ 0x2222222222222222L;
        long slash = v ^ 0x5c5c5c5c5c5c5c5cL;
        // Zero bytes of quote or slash, and bytes below 0x20 of v, set their high bit (and
        // maybe others, which only sends the loop to the byte-wise path).
        long special = ((quote - 0x0101010101010101L) & ~quote)
            | ((slash - 0x0101010101010101L) & ~slash)
            | ((v - 0x2020202020202020L) & ~v);
        if ((special & 0x8080808080808080L) != 0) {
          break;
        }
        p += 8;
      }
      if (p >= e) {
        throw truncated("a string");
      }
      byte c = bb[p];
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        esc = true;
        if (p + 1 >= e) {
          throw truncated("a string");
        }
        byte x = bb[p + 1];
        if (x == 'u') {
          if (p + 6 > e) {
            throw truncated("a string");
          }
          for (int k = p + 2; k < p + 6; k++) {
            if (Character.digit(bb[k], 16) < 0) {
              throw invalid("bad \\u escape in a string", k);
            }
          }
          p += 6;
        } else if (x == '"' || x == '\\' || x == '/' || x == 'b' || x == 'f' || x == 'n'
            || x == 'r' || x == 't') {
          p += 2;
        } else {
          throw invalid("unrecognized escape '\\" + (char) (x & 0xff) + "' in a string", p);
        }
        continue;
      }
      if ((c & 0xff) < 0x20) {
        throw invalid("unescaped control character (code " + c + ") in a string", p);
      }
      p++;
    }
    pos = p + 1;
    escaped = esc;
  }

  private void number() throws BadLineException {
    int p = pos;
    if (b[p] == '-') {
      p++;
    }
    p = digits(p, true);
    if (p < end && b[p] == '.') {
      p = digits(p + 1, false);
    }
    if (p < end && (b[p] == 'e' || b[p] == 'E')) {
      p++;
      if (p < end && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      p = digits(p, false);
    }
    if (p - pos > MAX_NUMBER_LENGTH) {
      throw invalid("number longer than " + MAX_NUMBER_LENGTH + " characters", pos);
    }
    pos = p;
  }

  /** One or more digits from {@code p} (no leading zero when {@code integer}); returns the end. */
  private int digits(int p, boolean integer) throws BadLineException {
    if (p >= end) {
      throw truncated("a number");
    }
    if (b[p] < '0' || b[p] > '9') {
      throw invalid("expected a digit in a number, found " + describe(b[p]), p);
    }
    if (integer && b[p] == '0') {
      return p + 1;
    }
    int q = p + 1;
    while (q < end && b[q] >= '0' && b[q] <= '9') {
      q++;
    }
    return q;
  }

  private void literal(String word) throws BadLineException {
    for (int i = 0; i < word.length(); i++) {
      if (pos + i >= end) {
        throw truncated("'" + word + "'");
      }
      if (b[pos + i] != word.charAt(i)) {
        throw invalid("unrecognized token (expected '" + word + "')", pos);
      }
    }
    pos += word.length();
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return;
      }
      pos++;
    }
  }

  private int column() {
    return pos - base + 1;
  }

  private BadLineException invalid(String what, int at) {
    return new BadLineException("invalid JSON: " + what + " at column " + (at - base + 1));
  }

  private BadLineException truncated(String inside) {
    return new BadLineException("truncated JSON: the line ends inside " + inside);
  }

  private static String describe(byte c) {
    return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : "(code " + (c & 0xff) + ")";
  }

  // ---- turning values into column values

  private Binary slice(int from, int to) {
    return Binary.fromConstantByteArray(b, from, to - from);
  }

  /** A scalar's text (a string's value, a number's or literal's source text); null otherwise. */
  private Binary text(byte k, int from, int to, boolean esc) {
    return switch (k) {
      case '"' -> esc ? Binary.fromString(decode(from + 1, to - 1)) : slice(from + 1, to - 1);
      case '0' -> slice(from, to);
      case 't' -> TRUE;
      case 'f' -> FALSE;
      default -> null;
    };
  }

  private Binary text(Fields f, int i) {
    return text(f.kind[i], f.start[i], f.end[i], f.escaped[i]);
  }

  /** A field's text, failing on an object or array as the field's value. */
  private Binary scalarText(Fields f, int i, String name) throws BadLineException {
    byte k = f.kind[i];
    if (k == '{' || k == '[') {
      throw badType(name, k);
    }
    return text(f, i);
  }

  private static BadLineException badType(String name, byte kind) {
    String token = switch (kind) {
      case '{' -> "START_OBJECT";
      case '[' -> "START_ARRAY";
      case '"' -> "VALUE_STRING";
      case '0' -> "VALUE_NUMBER";
      default -> "value";
    };
    return new BadLineException("'" + name + "' has an unexpected " + token);
  }

  /** A number or a string of one read as a long; null when it is not one. */
  private Long number(Fields f, int i) {
    byte k = f.kind[i];
    if (k != '0' && k != '"') {
      return null;
    }
    if (k == '"' && f.escaped[i]) {
      return parseLong(decode(f.start[i] + 1, f.end[i] - 1));
    }
    int from = k == '"' ? f.start[i] + 1 : f.start[i];
    int to = k == '"' ? f.end[i] - 1 : f.end[i];
    int p = from;
    boolean negative = false;
    if (p < to && (b[p] == '-' || b[p] == '+')) {
      negative = b[p] == '-';
      p++;
    }
    if (p == to || to - p > 18) {
      return parseLong(new String(b, from, to - from, StandardCharsets.UTF_8));
    }
    long v = 0;
    for (; p < to; p++) {
      if (b[p] < '0' || b[p] > '9') {
        return null;
      }
      v = v * 10 + (b[p] - '0');
    }
    return negative ? -v : v;
  }

  private static Long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The value of the string whose content (between its quotes) is {@code b[from..to)}. */
  private String decode(int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    int p = from;
    while (p < to) {
      int q = p;
      while (q < to && b[q] != '\\') {
        q++;
      }
      sb.append(new String(b, p, q - p, StandardCharsets.UTF_8));
      if (q == to) {
        break;
      }
      byte x = b[q + 1];
      switch (x) {
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append((char) Integer.parseInt(
            new String(b, q + 2, 4, StandardCharsets.ISO_8859_1), 16));
        default -> sb.append((char) x);
      }
      p = q + (x == 'u' ? 6 : 2);
    }
    return sb.toString();
  }

  /** {@code created_at} in microseconds. */
  private static long micros(Binary text) throws BadLineException {
    ByteBuffer buffer = text.toByteBuffer();
    long fast = utcSeconds(buffer.array(), buffer.arrayOffset() + buffer.position(),
        buffer.remaining());
    if (fast != Long.MIN_VALUE) {
      return fast * 1_000_000L;
    }
    Instant i = instant(text.toStringUsingUTF8());
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
  }

  private static Instant instant(String text) throws BadLineException {
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
   * {@code YYYY-MM-DDTHH:MM:SSZ}, the Events API's form, in epoch seconds, read without a
   * formatter; {@link Long#MIN_VALUE} for any other form (the formatters handle it, and validate
   * it).
   */
  private static long utcSeconds(byte[] t, int o, int length) {
    if (length != 20 || t[o + 4] != '-' || t[o + 7] != '-' || t[o + 10] != 'T'
        || t[o + 13] != ':' || t[o + 16] != ':' || t[o + 19] != 'Z') {
      return Long.MIN_VALUE;
    }
    int year = digits(t, o, 4);
    int month = digits(t, o + 5, 2);
    int day = digits(t, o + 8, 2);
    int hour = digits(t, o + 11, 2);
    int minute = digits(t, o + 14, 2);
    int second = digits(t, o + 17, 2);
    if (year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59) {
      return Long.MIN_VALUE;
    }
    long days;
    try {
      days = java.time.LocalDate.of(year, month, day).toEpochDay();
    } catch (java.time.DateTimeException e) {
      return Long.MIN_VALUE; // the validating path names the bad value
    }
    return days * 86_400L + hour * 3600L + minute * 60L + second;
  }

  private static int digits(byte[] t, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      byte c = t[i];
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** NUL bytes and invalid UTF-8 are named precisely, before the JSON is read. */
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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[][] keys(String... names) {
    byte[][] k = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      k[i] = bytes(names[i]);
    }
    return k;
  }

  /** The values of the wanted keys of one object: kind 0 when absent (the last one wins). */
  private static final class Fields {
    final byte[][] keys;
    final byte[] kind;
    final int[] start;
    final int[] end;
    final boolean[] escaped;
    boolean present;

    Fields(byte[][] keys) {
      this.keys = keys;
      this.kind = new byte[keys.length];
      this.start = new int[keys.length];
      this.end = new int[keys.length];
      this.escaped = new boolean[keys.length];
    }

    void reset() {
      Arrays.fill(kind, (byte) 0);
      present = false;
    }

    void set(int i, byte k, int from, int to, boolean esc) {
      kind[i] = k;
      start[i] = from;
      end[i] = to;
      escaped[i] = esc;
    }

    /** The index of the key {@code name[from..to)} ({@code to < 0}: the whole array), or -1. */
    int indexOf(byte[] name, int from, int to) {
      int t = to < 0 ? name.length : to;
      for (int i = 0; i < keys.length; i++) {
        byte[] k = keys[i];
        if (k.length == t - from && Arrays.equals(name, from, t, k, 0, k.length)) {
          return i;
        }
      }
      return -1;
    }
  }
}
