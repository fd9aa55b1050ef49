package dev.edx.provider.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Qualified names as Snowflake writes them in the {@code name} column of {@code SHOW GRANTS}
 * ({@code WH.GHA.EVENTS}, {@code "wh"."My Schema"}, {@code WH.GHA.<TABLE>} for future grants):
 * parts split at the dots outside double quotes; a quoted part is taken as written, with {@code
 * ""} read as {@code "}, and an unquoted one in uppercase, as Snowflake resolves it.
 */
final class SnowflakeNames {
  private SnowflakeNames() {}

  /** The parts of a qualified name, as Snowflake stores them; empty for null. */
  static List<String> parts(String qualified) {
    List<String> parts = new ArrayList<>();
    if (qualified == null) {
      return parts;
    }
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < qualified.length(); i++) {
      char c = qualified.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < qualified.length() && qualified.charAt(i + 1) == '"') {
          part.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          part.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (c == '.') {
        parts.add(wasQuoted ? part.toString() : part.toString().toUpperCase(Locale.ROOT));
        part.setLength(0);
        wasQuoted = false;
      } else {
        part.append(c);
      }
    }
    parts.add(wasQuoted ? part.toString() : part.toString().toUpperCase(Locale.ROOT));
    return parts;
  }
}
