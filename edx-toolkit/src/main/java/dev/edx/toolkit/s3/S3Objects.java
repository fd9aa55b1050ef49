package dev.edx.toolkit.s3;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectRef;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.api.exceptions.ProviderException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What every S3 client of edx does the same way whatever its SDK: etags, {@code s3a://} URIs,
 * presign expiries, delete batches, the server's timestamps. Not public API.
 */
public final class S3Objects {
  /** The version id S3 gives objects written while a bucket was not versioned. */
  public static final String UNVERSIONED = "null";

  private S3Objects() {}

  /** An etag without its quotes; empty when there is none. */
  public static Optional<String> etag(String etag) {
    if (etag == null || etag.isEmpty()) {
      return Optional.empty();
    }
    String e = etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
        ? etag.substring(1, etag.length() - 1) : etag;
    return e.isEmpty() ? Optional.empty() : Optional.of(e);
  }

  /** The {@code s3a://bucket/key} URI engines (Hadoop, Spark) read an object with. */
  public static URI s3a(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    try {
      return new URI("s3a", ref.bucket(), "/" + ref.key(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Cannot make an s3a URI of " + ref, e);
    }
  }

  /** Checks a presigned URL's validity: 1 second to 7 days (SigV4's limit). */
  public static void checkPresignExpiry(ObjectRef ref, Duration expiry, String method) {
    requireNonNull(ref, "ref is null");
    requireNonNull(expiry, "expiry is null");
    if (expiry.compareTo(S3Limits.MIN_PRESIGN) < 0
        || expiry.compareTo(S3Limits.MAX_PRESIGN) > 0) {
      throw new IllegalArgumentException("Cannot presign " + method + " of " + ref
          + ": the expiry must be between 1 second and 7 days, not " + expiry);
    }
  }

  /**
   * The keys of a batch delete in requests of at most {@link S3Limits#DELETE_BATCH}; each key is
   * checked first, so a bad key fails before anything is deleted.
   */
  public static List<List<String>> deleteBatches(String bucket, Collection<String> keys) {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(keys, "keys is null");
    List<List<String>> batches = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    for (String key : keys) {
      ObjectRef.of(bucket, key); // validates the key
      batch.add(key);
      if (batch.size() == S3Limits.DELETE_BATCH) {
        batches.add(List.copyOf(batch));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      batches.add(List.copyOf(batch));
    }
    return List.copyOf(batches);
  }

  /**
   * Fails when a batch delete reported failures other than missing keys: "Cannot &lt;what&gt; on
   * &lt;where&gt;: N failed, such as [...]".
   *
   * @param failures one {@code "key (Code: message)"} per failed key
   */
  public static void requireNoFailures(String what, String where, List<String> failures) {
    if (!failures.isEmpty()) {
      throw new ProviderException("Cannot " + what + " on " + where + ": " + failures.size()
          + " failed, such as " + failures.subList(0, Math.min(5, failures.size())));
    }
  }

  /** The error of reading an object that does not exist. */
  public static NoSuchObjectException noSuchObject(ObjectRef ref, String what, String where) {
    return new NoSuchObjectException(ref.toString(), "Cannot " + what + " on " + where
        + ": object " + ref + " does not exist");
  }

  /**
   * The server's time of an answer, from its {@code Date} header (RFC 1123): the one clock edx
   * reports write times in, as stat and list do. The local clock only when the header is absent
   * or unreadable.
   */
  public static Instant serverTime(Optional<String> dateHeader) {
    if (dateHeader.isPresent()) {
      try {
        return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(dateHeader.get().trim()));
      } catch (DateTimeParseException e) {
        // fall through
      }
    }
    return Instant.now();
  }
}
