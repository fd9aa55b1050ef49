package dev.edx.api;

import java.net.URI;
import java.time.Duration;

/**
 * Object storage that can hand out presigned URLs: plain HTTP URLs that let a client without
 * credentials read or write one object until they expire. Check with {@code instanceof}.
 *
 * <p>A URL carries a signature made with the storage's credentials, never the credentials
 * themselves; anyone holding it has the access it grants until it expires, so treat it as a
 * short-lived secret.
 */
public interface SupportsPresignedUrls extends ObjectStorage {

  /**
   * A URL that downloads the object with a plain HTTP {@code GET}. The object need not exist yet;
   * the GET fails with 404 if it does not.
   *
   * @param expiry how long the URL stays valid: at least one second, at most seven days
   * @throws IllegalArgumentException if {@code expiry} is out of range
   */
  URI presignedGet(ObjectRef ref, Duration expiry);

  /**
   * A URL that stores the object with a plain HTTP {@code PUT} of its content, replacing any
   * object of that key.
   *
   * @param expiry how long the URL stays valid: at least one second, at most seven days
   * @throws IllegalArgumentException if {@code expiry} is out of range
   */
  URI presignedPut(ObjectRef ref, Duration expiry);
}
