package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.errors.ErrorResponseException;
import io.minio.messages.ErrorResponse;
import java.io.IOException;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class MinioCallsTest {

  private static ErrorResponseException answer(int status, String code) {
    Response response = new Response.Builder()
        .request(new Request.Builder().url("http://127.0.0.1:9000/b?tagging").build())
        .protocol(Protocol.HTTP_1_1).code(status).message(code).build();
    return new ErrorResponseException(
        new ErrorResponse(code, code, "b", null, "/b", "req", "host"), response, "");
  }

  @Test
  void serverHiccupsAreRetriedButNotImplementedIsAnAnswer() {
    assertThat(MinioCalls.transientFailure(answer(503, "SlowDown"))).isTrue();
    assertThat(MinioCalls.transientFailure(answer(500, "InternalError"))).isTrue();
    assertThat(MinioCalls.transientFailure(new IOException("reset"))).isTrue();
    // A store without bucket tagging answers 501 NotImplemented every time: retrying it cost
    // about 1.5 s of backoff per ownership check.
    assertThat(MinioCalls.transientFailure(answer(501, "NotImplemented"))).isFalse();
    assertThat(MinioCalls.transientFailure(answer(404, "NoSuchBucket"))).isFalse();
  }
}
