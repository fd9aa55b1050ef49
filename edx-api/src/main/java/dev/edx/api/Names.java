package dev.edx.api;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Name rules shared by the value records. Package-private: not public API. */
final class Names {
  // S3 bucket naming rules (the strictest of the stores edx targets).
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  // Hive identifiers: a letter or underscore, then letters, digits, underscores.
  private static final Pattern HIVE_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  // Kubernetes Secret names/keys and Secrets Manager names share this subset.
  private static final Pattern SECRET_NAME =
      Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

  private Names() {}

  static String bucket(String name) {
    if (!BUCKET.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException(
          "Invalid bucket name '" + name + "': use 3-63 lowercase letters, digits, '.' or '-',"
              + " starting and ending with a letter or digit");
    }
    return name;
  }

  static String objectKey(String key) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("Invalid object key: it is empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > 1024) {
      throw new IllegalArgumentException("Invalid object key '" + key.substring(0, 64)
          + "...': longer than 1024 UTF-8 bytes");
    }
    if (key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("Invalid object key: it contains a NUL character");
    }
    return key;
  }

  static String hiveIdentifier(String what, String name) {
    if (!HIVE_IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("Invalid " + what + " name '" + name
          + "': Hive identifiers are a letter or '_' followed by letters, digits or '_'"
          + " (at most 128 characters)");
    }
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  static String secretName(String name) {
    if (!SECRET_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Invalid secret name '" + name
          + "': use lowercase letters, digits, '.' or '-', starting and ending with a letter or"
          + " digit");
    }
    return name;
  }

  static String secretKey(String key) {
    if (!SECRET_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "Invalid secret key '" + key + "': use letters, digits, '-', '_' or '.'");
    }
    return key;
  }
}
