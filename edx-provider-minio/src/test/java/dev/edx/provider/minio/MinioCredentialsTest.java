package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.edx.api.ObjectRef;
import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.embedded.S3Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A wrong secret key gives one clear "access denied", and the key is nowhere in the output. */
class MinioCredentialsTest {
  private static final String WRONG_SECRET = "wr0ngS3cretKeyThatMustNeverBePrinted";

  private static S3Endpoint endpoint;

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.inMemory();
    try (MinioObjectStorage good = MinioTesting.open(endpoint)) {
      good.createBucket("guarded");
    }
  }

  @AfterAll
  static void stop() {
    endpoint.close();
  }

  @Test
  void wrongSecretKeyIsOneClearAccessDeniedNamingEndpointAndBucketButNeverTheKey() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    Throwable thrown;
    String storageText;
    System.setOut(capture);
    System.setErr(capture);
    try (MinioObjectStorage storage = MinioTesting.open(endpoint,
        b -> b.setSensitive(MinioProperties.SECRET_KEY.key(), WRONG_SECRET))) {
      storageText = storage.toString();
      thrown = catchThrowable(() -> storage.put(ObjectRef.of("guarded", "k"),
          "data".getBytes(StandardCharsets.UTF_8)));
      if (thrown != null) {
        // what a careless caller would do with it
        org.slf4j.LoggerFactory.getLogger(MinioCredentialsTest.class).error("put failed", thrown);
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }

    assertThat(thrown).isInstanceOf(AccessDeniedException.class)
        .hasMessageStartingWith("Cannot put guarded/k on " + endpoint.endpoint())
        .hasMessageContaining("access denied to bucket 'guarded'")
        .hasMessageContaining("SignatureDoesNotMatch")
        .hasMessageContaining("check accessKey and secretKey");
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(WRONG_SECRET)
          .doesNotContain(endpoint.secretKey());
      assertThat(t.toString()).doesNotContain(WRONG_SECRET);
    }
    assertThat(trace.toString()).doesNotContain(WRONG_SECRET);
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("put failed").contains("AccessDeniedException")
        .doesNotContain(WRONG_SECRET);
    assertThat(storageText).contains(endpoint.endpoint().toString()).doesNotContain(WRONG_SECRET)
        .doesNotContain(endpoint.accessKey());
  }

  @Test
  void wrongSecretKeyIsAccessDeniedForReadsAndListingsToo() {
    try (MinioObjectStorage storage = MinioTesting.open(endpoint,
        b -> b.setSensitive(MinioProperties.SECRET_KEY.key(), WRONG_SECRET))) {
      assertThat(catchThrowable(() -> storage.open(ObjectRef.of("guarded", "k"))))
          .isInstanceOf(AccessDeniedException.class).hasMessageContaining("'guarded'");
      assertThat(catchThrowable(() -> storage.list("guarded", "")))
          .isInstanceOf(AccessDeniedException.class).hasMessageContaining("'guarded'")
          .hasMessageContaining(endpoint.endpoint().toString());
      assertThat(catchThrowable(() -> storage.bucketExists("guarded")))
          .isInstanceOf(AccessDeniedException.class);
    }
  }
}
