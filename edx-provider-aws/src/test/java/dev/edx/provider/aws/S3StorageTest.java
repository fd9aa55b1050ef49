package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;

/**
 * What the {@code s3} provider does beyond the storage contract, against the embedded S3 endpoint
 * (s3proxy): multipart uploads and their abort on failure, spec parsing, credentials kept out of
 * messages, and the bucket provisioner as far as s3proxy goes (it has no public-access block nor
 * lifecycle rules: the plan works and apply fails clearly, leaving nothing behind). Ownership, on
 * s3proxy and on a store with bucket tagging, is {@link S3OwnershipTest}'s.
 */
class S3StorageTest {
  private static final long MIB = 1024 * 1024;

  @TempDir
  static Path folder;

  private static S3Endpoint endpoint;
  private static S3ObjectStorage storage;
  private static S3Client raw;

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.inFolder(folder.resolve("s3"));
    storage = S3Testing.open(endpoint, b -> b.set(S3Properties.PART_SIZE.key(), "5MiB"));
    raw = S3Client.builder().endpointOverride(endpoint.endpoint()).forcePathStyle(true)
        .region(Region.of(endpoint.region()))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
        .build();
    storage.createBucket("multipart");
  }

  @AfterAll
  static void stop() {
    raw.close();
    storage.close();
    endpoint.close();
  }

  @Test
  void streamsLongerThanAPartAreMultipartUploads() throws IOException {
    long size = 11 * MIB + 17;
    ObjectInfo info = storage.put(ObjectRef.of("multipart", "big.bin"), new Counting(size, -1));

    assertThat(info.size()).isEqualTo(size);
    assertThat(info.etag()).hasValueSatisfying(e -> assertThat(e).endsWith("-3"));
    try (InputStream in = storage.open(ObjectRef.of("multipart", "big.bin"), 11 * MIB, 100)) {
      byte[] tail = in.readAllBytes();
      assertThat(tail).hasSize(17);
      assertThat(tail[0]).isEqualTo((byte) ((11 * MIB) % 251));
    }
    assertThat(raw.listMultipartUploads(b -> b.bucket("multipart")).uploads()).isEmpty();
  }

  @Test
  void aStreamOfKnownLengthLongerThanAPartIsOnePutObject() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    ExecutionInterceptor recorder = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context,
          ExecutionAttributes attributes) {
        requests.add(context.request().getClass().getSimpleName());
      }
    };
    S3Settings settings = S3Settings.parse(S3Testing.spec(endpoint)
        .set(S3Properties.PART_SIZE.key(), "5MiB").build());
    long size = 11 * MIB + 17;
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    try (S3ObjectStorage counted = new S3ObjectStorage(settings, "test", List.of(recorder));
        InputStream data = new DigestInputStream(new Counting(size, -1), md5)) {
      ObjectInfo info = counted.put(ObjectRef.of("multipart", "known.bin"), data, size);

      assertThat(requests).containsExactly("PutObjectRequest");
      assertThat(info.size()).isEqualTo(size);
      assertThat(info.etag()).contains(HexFormat.of().formatHex(md5.digest()));
    }
    try (InputStream in = storage.open(ObjectRef.of("multipart", "known.bin"), 11 * MIB, 100)) {
      byte[] tail = in.readAllBytes();
      assertThat(tail).hasSize(17);
      assertThat(tail[0]).isEqualTo((byte) ((11 * MIB) % 251));
    }
  }

  @Test
  void aFailingStreamAbortsTheMultipartUploadLeavingNoParts() {
    ObjectRef ref = ObjectRef.of("multipart", "broken.bin");

    assertThatThrownBy(() -> storage.put(ref, new Counting(20 * MIB, 12 * MIB)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("multipart/broken.bin");

    assertThat(storage.stat(ref)).isEmpty();
    assertThat(raw.listMultipartUploads(b -> b.bucket("multipart")).uploads())
        .as("no orphaned multipart upload").isEmpty();
  }

  @Test
  void deleteAllSendsAThousandKeysACallAndIgnoresMissingOnes() {
    List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutionInterceptor counter = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context,
          ExecutionAttributes attributes) {
        if (context.request() instanceof DeleteObjectsRequest delete) {
          batches.add(delete.delete().objects().size());
        }
      }
    };
    S3Settings settings = S3Settings.parse(S3Testing.spec(endpoint).build());
    try (S3ObjectStorage counted = new S3ObjectStorage(settings, "test", List.of(counter))) {
      counted.put(ObjectRef.of("multipart", "batch/kept"), "keep".getBytes());
      counted.put(ObjectRef.of("multipart", "batch/0007"), "gone".getBytes());
      List<String> keys = new java.util.ArrayList<>();
      for (int i = 0; i < 2500; i++) {
        keys.add(String.format("batch/%04d", i));
      }

      counted.deleteAll("multipart", keys);

      assertThat(batches).containsExactly(1000, 1000, 500);
      assertThat(counted.stat(ObjectRef.of("multipart", "batch/0007"))).isEmpty();
      assertThat(counted.stat(ObjectRef.of("multipart", "batch/kept"))).isPresent();
    }
  }

  @Test
  void credentialsComeFromStaticKeysAProfileOrTheDefaultChainAndAreNeverShown() {
    AwsSettings keys = AwsSettings.parse(S3Testing.spec(endpoint)
        .setSensitive(AwsProperties.SESSION_TOKEN.key(), "token-value-1234").build());
    assertThat(keys.credentials().keys()).isPresent();
    assertThat(keys.toString()).contains("static keys (****)")
        .doesNotContain(endpoint.secretKey()).doesNotContain(endpoint.accessKey())
        .doesNotContain("token-value-1234");
    AwsSettings profile = AwsSettings.parse(dev.edx.api.spi.ServiceSpec.builder("storage", "s3")
        .set(AwsProperties.REGION.key(), "eu-west-1").set(AwsProperties.PROFILE.key(), "analytics")
        .build());
    assertThat(profile.toString()).contains("profile analytics");
    assertThat(profile.credentials().provider().getClass().getSimpleName())
        .isEqualTo("ProfileCredentialsProvider");
    AwsSettings chain = AwsSettings.parse(dev.edx.api.spi.ServiceSpec.builder("storage", "s3")
        .set(AwsProperties.REGION.key(), "eu-west-1").build());
    assertThat(chain.toString()).contains("the default chain");
    assertThat(chain.credentials().provider().getClass().getSimpleName())
        .isEqualTo("DefaultCredentialsProvider");
    assertThatThrownBy(() -> AwsSettings.parse(dev.edx.api.spi.ServiceSpec.builder("storage",
        "s3").set(AwsProperties.REGION.key(), "eu-west-1")
        .setSensitive(AwsProperties.SESSION_TOKEN.key(), "token-value-1234").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("sessionToken")
        .hasMessageNotContaining("token-value-1234");
  }

  @Test
  void overHttpBodiesGoUnsignedWithTheirChecksumWhileRequestsStaySigned() throws IOException {
    for (String checksums : List.of("when_supported", "when_required")) {
      Map<String, String> sent = new java.util.concurrent.ConcurrentHashMap<>();
      ExecutionInterceptor payloads = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context,
            ExecutionAttributes attributes) {
          context.httpRequest().firstMatchingHeader("x-amz-content-sha256").ifPresent(h ->
              sent.merge(context.request().getClass().getSimpleName(), h, (a, b) -> a));
        }
      };
      S3Settings settings = S3Settings.parse(S3Testing.spec(endpoint)
          .set(S3Properties.PART_SIZE.key(), "5MiB")
          .set(S3Properties.CHECKSUMS.key(), checksums).build());
      try (S3ObjectStorage s3 = new S3ObjectStorage(settings, "test", List.of(payloads))) {
        long size = 11 * MIB + 5;
        // Unknown length: parts (a stream of known length is one PutObject).
        s3.put(ObjectRef.of("multipart", checksums + "/big.bin"), new Counting(size, -1));
        s3.put(ObjectRef.of("multipart", checksums + "/small.txt"), "small".getBytes());

        String body = checksums.equals("when_supported") ? "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
            : "UNSIGNED-PAYLOAD";
        assertThat(sent).as(checksums).containsEntry("PutObjectRequest", body)
            .containsEntry("UploadPartRequest", body);
        try (InputStream in = s3.open(ObjectRef.of("multipart", checksums + "/big.bin"))) {
          byte[] all = in.readAllBytes();
          assertThat(all).hasSize((int) size);
          assertThat(all[(int) (7 * MIB)]).isEqualTo((byte) ((7 * MIB) % 251));
        }
        try (InputStream in = s3.open(ObjectRef.of("multipart", checksums + "/small.txt"))) {
          assertThat(in.readAllBytes()).asString().isEqualTo("small");
        }
      }
    }
    // The requests themselves are still signed: a wrong secret cannot put.
    try (S3ObjectStorage wrong = S3Testing.open(endpoint,
        b -> b.setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), "wrong-secret"))) {
      assertThatThrownBy(() -> wrong.put(ObjectRef.of("multipart", "forged.txt"),
          "forged".getBytes())).isInstanceOf(AccessDeniedException.class);
    }
    assertThat(storage.stat(ObjectRef.of("multipart", "forged.txt"))).isEmpty();
  }

  @Test
  void wrongCredentialsAreAccessDeniedWithoutTheSecret() {
    String secret = "wrong-secret-" + System.nanoTime();
    try (S3ObjectStorage wrong = S3Testing.open(endpoint,
        b -> b.setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), secret))) {
      assertThatThrownBy(() -> wrong.listBuckets())
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("Cannot list buckets")
          .hasMessageNotContaining(secret);
      assertThat(wrong.toString()).doesNotContain(secret).doesNotContain(endpoint.secretKey());
    }
  }

  @Test
  void specErrorsNameTheKey() {
    assertThatThrownBy(() -> Specs.create(S3Testing.provider(), S3Testing.spec(endpoint)
        .set(S3Properties.SSE.key(), "rot13").build(), new TestProviderContext()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("sse");
    assertThatThrownBy(() -> Specs.create(S3Testing.provider(), S3Testing.spec(endpoint)
        .set(S3Properties.PART_SIZE.key(), "1MiB").build(), new TestProviderContext()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("partSize");
    assertThatThrownBy(() -> Specs.create(S3Testing.provider(), S3Testing.spec(endpoint)
        .set(AwsProperties.PROFILE.key(), "dev").build(), new TestProviderContext()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("profile")
        .hasMessageNotContaining(endpoint.secretKey());
    assertThatThrownBy(() -> Specs.create(S3Testing.provider(), S3Testing.spec(endpoint)
        .set("bukets", List.of("x")).build(), new TestProviderContext()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("bukets");
    assertThat(S3Testing.provider().sensitivePropertyNames()).contains(
        AwsProperties.ACCESS_KEY_ID.key(), AwsProperties.SECRET_ACCESS_KEY.key(),
        AwsProperties.SESSION_TOKEN.key());
  }

  @Test
  void serverSideEncryptionIsRequestedOnWritesAndRefusedClearlyByAStoreWithout() {
    try (S3ObjectStorage sse = S3Testing.open(endpoint,
        b -> b.set(S3Properties.SSE.key(), "AES256"))) {
      // s3proxy has no server-side encryption: it answers 501 NotImplemented to the header
      assertThatThrownBy(() -> sse.put(ObjectRef.of("multipart", "sse.txt"), "x".getBytes()))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("Cannot put multipart/sse.txt")
          .hasMessageContaining("NotImplemented");
      assertThat(storage.stat(ObjectRef.of("multipart", "sse.txt"))).isEmpty();
    }
  }

  @Test
  void provisionerPlansBucketsAndFailsClearlyWhereTheStoreCannotConfigureThem() {
    try (S3Endpoint empty = S3Endpoint.inMemory();
        S3ObjectStorage provisioned = S3Testing.open(empty, b -> b
            .set(S3Properties.BUCKETS.key(), List.of("prov-a",
                Map.of("name", "prov-b", "adopt", true)))
            .set(S3Properties.LIFECYCLE_EXPIRE_DAYS.key(), 30)
            .set(S3Properties.LIFECYCLE_PREFIX.key(), "tmp/"))) {
      List<Change> plan = provisioned.plan();
      assertThat(plan).extracting(Change::resource).containsExactly("bucket prov-a",
          "bucket prov-b");
      assertThat(plan).allSatisfy(c -> {
        assertThat(c.action()).isEqualTo(Change.Action.CREATE);
        assertThat(c.detail()).contains("public access blocked")
            .contains("objects under 'tmp/' expire after 30 days");
      });

      // s3proxy has no public-access block (nor lifecycle rules), so the new bucket cannot be
      // configured as declared
      assertThatThrownBy(provisioned::apply)
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("prov-a").hasMessageContaining("NotImplemented");
      assertThat(provisioned.bucketExists("prov-a"))
          .as("a new bucket that cannot be configured is deleted again").isFalse();
      assertThat(provisioned.listBuckets()).isEmpty();
      assertThat(provisioned.destroy(DataPolicy.RETAIN)).extracting(Change::action)
          .containsOnly(Change.Action.NONE);
    }
  }

  /** {@code size} bytes of {@code i % 251}; throws after {@code failAt} bytes when not -1. */
  private static final class Counting extends InputStream {
    private final long size;
    private final long failAt;
    private long position;

    Counting(long size, long failAt) {
      this.size = size;
      this.failAt = failAt;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (failAt >= 0 && position >= failAt) {
        throw new IOException("connection reset by the test");
      }
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(Math.min(len, 64 * 1024), size - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) ((position + i) % 251);
      }
      position += n;
      return n;
    }
  }

}
