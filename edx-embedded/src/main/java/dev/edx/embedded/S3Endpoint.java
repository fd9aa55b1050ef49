package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3 endpoint for tests: by default s3proxy, in-process on a random loopback port, with fresh
 * random credentials, its objects in memory ({@link #inMemory()}) or in a folder that survives
 * restarts ({@link #inFolder(Path)}). {@link #fromEnvironment} points at an external MinIO instead
 * when {@code EDX_TEST_S3_ENDPOINT} is set ({@code EDX_TEST_S3_ACCESS_KEY}, {@code
 * EDX_TEST_S3_SECRET_KEY}, {@code EDX_TEST_S3_REGION}).
 *
 * <p>s3proxy speaks S3 with V2 and V4 signatures, multipart uploads, versioning (memory-backed
 * only), presigned URLs and batch deletes; it has no bucket policies and no lifecycle rules.
 * Closing stops it (an external endpoint is left alone). {@link #toString()} never shows the
 * secret key.
 */
public final class S3Endpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3Endpoint.class);

  /** The external endpoint to use instead of an embedded one. */
  public static final String ENDPOINT_VARIABLE = "EDX_TEST_S3_ENDPOINT";
  public static final String ACCESS_KEY_VARIABLE = "EDX_TEST_S3_ACCESS_KEY";
  public static final String SECRET_KEY_VARIABLE = "EDX_TEST_S3_SECRET_KEY";
  public static final String REGION_VARIABLE = "EDX_TEST_S3_REGION";
  public static final String REGION_DEFAULT = "us-east-1";

  private static final long START_TIMEOUT_MILLIS = 10_000;

  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;
  private final String region;
  private final S3Proxy proxy;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3Endpoint(URI endpoint, String accessKey, String secretKey, String region,
      S3Proxy proxy) {
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.region = region;
    this.proxy = proxy;
  }

  /** Starts an embedded endpoint whose objects live in memory and vanish when it stops. */
  public static S3Endpoint inMemory() {
    return start(new TransientNio2BlobStore(), "memory");
  }

  /**
   * Starts an embedded endpoint whose buckets are sub-folders of {@code directory}, so a later
   * endpoint on the same folder sees them. Its credentials are new each time.
   *
   * <p>{@code directory} is created {@code 0700}, and an existing one is tightened to that, so no
   * other local user can reach an object file: s3proxy writes them with the process's umask and
   * keeps each object's and bucket's canned ACL in their "others" permission bits ({@code
   * public-read} sets others' read), so edx leaves the files below alone and closes the folder
   * above them instead.
   */
  public static S3Endpoint inFolder(Path directory) {
    requireNonNull(directory, "directory is null");
    Path dir = directory.toAbsolutePath().normalize();
    OwnerOnlyFiles.secureFolder(dir);
    return start(new FilesystemNio2BlobStore(dir.toString()), dir.toString());
  }

  /**
   * The external endpoint {@code EDX_TEST_S3_ENDPOINT} names, if it is set, with its keys from
   * {@code EDX_TEST_S3_ACCESS_KEY} and {@code EDX_TEST_S3_SECRET_KEY}.
   *
   * @param environment the environment variables ({@code System.getenv()})
   * @throws IllegalStateException if the endpoint is set without both keys
   */
  public static Optional<S3Endpoint> fromEnvironment(Map<String, String> environment) {
    String url = environment.get(ENDPOINT_VARIABLE);
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    String access = environment.get(ACCESS_KEY_VARIABLE);
    String secret = environment.get(SECRET_KEY_VARIABLE);
    if (access == null || secret == null) {
      throw new IllegalStateException(ENDPOINT_VARIABLE + " is set, so " + ACCESS_KEY_VARIABLE
          + " and " + SECRET_KEY_VARIABLE + " must be set too");
    }
    String region = environment.getOrDefault(REGION_VARIABLE, REGION_DEFAULT);
    LOG.info("Using the external S3 endpoint {} ({})", url, ENDPOINT_VARIABLE);
    return Optional.of(new S3Endpoint(URI.create(url.trim()), access, secret, region, null));
  }

  /**
   * The external endpoint of the environment variables if set, else an embedded one: in {@code
   * directory} when given, else in memory.
   */
  public static S3Endpoint start(Optional<Path> directory) {
    return fromEnvironment(System.getenv())
        .orElseGet(() -> directory.map(S3Endpoint::inFolder).orElseGet(S3Endpoint::inMemory));
  }

  private static S3Endpoint start(BlobStore store, String where) {
    String accessKey = "edx-" + random(6);
    String secretKey = random(20);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .jettyMaxThreads(32)
        .build();
    try {
      proxy.start();
      long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("The embedded S3 endpoint did not start within "
              + START_TIMEOUT_MILLIS + " ms; state " + proxy.getState());
        }
        Thread.sleep(5);
      }
    } catch (Exception e) {
      stopQuietly(proxy);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Cannot start the embedded S3 endpoint: " + e, e);
    }
    URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    LOG.info("Embedded S3 endpoint on {} ({})", endpoint, where);
    return new S3Endpoint(endpoint, accessKey, secretKey, REGION_DEFAULT, proxy);
  }

  /** {@code http://127.0.0.1:<port>} for an embedded endpoint. */
  public URI endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public String region() {
    return region;
  }

  /** Whether this endpoint runs in-process (false for an external one). */
  public boolean embedded() {
    return proxy != null;
  }

  /** Stops an embedded endpoint; idempotent. An external endpoint is left running. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && proxy != null) {
      stopQuietly(proxy);
      LOG.debug("Stopped the embedded S3 endpoint on {}", endpoint);
    }
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception e) {
      LOG.warn("Cannot stop the embedded S3 endpoint", e);
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The endpoint and access key; never the secret key. */
  @Override
  public String toString() {
    return "S3Endpoint{" + endpoint + (embedded() ? ", embedded" : ", external")
        + ", secretKey=****}";
  }
}
