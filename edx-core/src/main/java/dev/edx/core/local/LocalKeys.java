package dev.edx.core.local;

import dev.edx.api.ObjectRef;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;

/** How the local provider maps object keys to relative file paths, and orders them. */
final class LocalKeys {

  /**
   * Key order: by Unicode code point, which is the byte order of UTF-8 and so the order S3 lists
   * keys in ({@link String#compareTo} differs for characters outside the Basic Multilingual Plane).
   */
  static final Comparator<String> ORDER = LocalKeys::compare;

  private LocalKeys() {}

  /**
   * Checks that a key maps to a path inside its bucket.
   *
   * @throws IllegalArgumentException naming the key and why it cannot be stored
   */
  static void validate(ObjectRef ref) {
    String problem = problem(ref.key());
    if (problem != null) {
      throw new IllegalArgumentException("Cannot use key '" + ref.key() + "' in bucket '"
          + ref.bucket() + "': " + problem + "; the local provider stores each key as a file path"
          + " inside its bucket's folder");
    }
  }

  /** Whether a key, or the folder part of a prefix, maps to a path inside a bucket. */
  static boolean isValid(String key) {
    return problem(key) == null;
  }

  /** Whether a single path segment read from disk can be part of a key. */
  static boolean isValidSegment(String name) {
    return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('\\') < 0;
  }

  private static String problem(String key) {
    if (key.startsWith("/")) {
      return "it starts with '/'";
    }
    if (key.indexOf('\\') >= 0) {
      return "it contains a backslash";
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()) {
        return "it has an empty segment ('//' or a trailing '/')";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "it has a '" + segment + "' segment";
      }
    }
    try {
      Path.of(key);
    } catch (InvalidPathException e) {
      return "it is not a valid path on this file system (" + e.getReason() + ")";
    }
    return null;
  }

  private static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
