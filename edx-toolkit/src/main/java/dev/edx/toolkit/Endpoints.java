package dev.edx.toolkit;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Reads the endpoint URLs of specs ({@code endpoint: http://127.0.0.1:9000}) for {@link
 * Setting#map}: each failure is an {@link IllegalArgumentException} stating the rule, which the
 * setting turns into an error naming the key.
 */
public final class Endpoints {
  private Endpoints() {}

  /**
   * An {@code http://} or {@code https://} URL with a host, as written.
   *
   * @param example a valid value for the message, such as {@code http://127.0.0.1:9000}
   */
  public static URI http(String text, String example) {
    requireNonNull(text, "text is null");
    requireNonNull(example, "example is null");
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("must be an http:// or https:// URL with a host, such as "
          + example + ", not '" + text + "'");
    }
    return uri;
  }

  /**
   * As {@link #http}, without a path or query: {@code scheme://authority}, the scheme in lower
   * case and a trailing {@code /} dropped.
   */
  public static URI httpRoot(String text, String example) {
    URI uri = http(text, example);
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null) {
      throw new IllegalArgumentException("must not have a path or query: '" + text + "'");
    }
    return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority());
  }
}
