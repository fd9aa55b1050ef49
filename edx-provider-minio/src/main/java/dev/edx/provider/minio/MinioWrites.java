package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.toolkit.s3.S3Objects;
import dev.edx.toolkit.s3.S3Writes;
import io.minio.MinioAsyncClient;
import io.minio.ObjectWriteResponse;
import io.minio.S3Escaper;
import io.minio.Signer;
import io.minio.Time;
import io.minio.Xml;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import io.minio.messages.ErrorResponse;
import io.minio.messages.Part;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls {@link S3Writes} writes through, on minio-java's HTTP client and signer.
 *
 * <p>PutObject and UploadPart are sent here rather than through minio-java's {@code putObject}:
 * over plain {@code http} minio-java signs each body's SHA-256, so it reads every part into memory
 * (and copies it) before it sends a byte. These requests stream their body and sign it as {@code
 * UNSIGNED-PAYLOAD}, as minio-java itself does over {@code https} and the AWS SDK does by default;
 * the headers, the URL and the credentials are still signed (SigV4, minio-java's {@link Signer}).
 * A body that is a slice of the caller's stream is sent once (OkHttp's one-shot body); a body that
 * can be read again is retried as any idempotent call. CreateMultipartUpload,
 * CompleteMultipartUpload and AbortMultipartUpload are minio-java's own.
 */
final class MinioWrites implements S3Writes.Calls<Part> {
  private static final Logger LOG = LoggerFactory.getLogger(MinioWrites.class);
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

  private final MinioSettings settings;
  private final OkHttpClient http;
  private final MinioAsyncClient client;
  private final MinioCalls calls;
  private final HttpUrl base;

  MinioWrites(MinioSettings settings, OkHttpClient http, MinioCalls calls) {
    this.settings = requireNonNull(settings, "settings is null");
    this.http = requireNonNull(http, "http is null");
    this.calls = requireNonNull(calls, "calls is null");
    MinioAsyncClient.Builder builder = MinioAsyncClient.builder()
        .endpoint(settings.endpoint().toString())
        .region(settings.region())
        .httpClient(http, false);
    if (settings.accessKey().isPresent()) {
      builder.credentials(settings.accessKey().get(), settings.secretKey().orElseThrow());
    }
    this.client = builder.build();
    this.base = HttpUrl.get(settings.endpoint().toString());
  }

  @Override
  public ObjectInfo putObject(ObjectRef ref, S3Writes.Body body, String what) {
    Response response = send(ref, null, 0, body, what);
    LOG.debug("Put {} ({} bytes)", ref, body.length());
    return new ObjectInfo(ref, body.length(), serverTime(response.header("Date")),
        S3Objects.etag(response.header("ETag")));
  }

  @Override
  public String createMultipartUpload(ObjectRef ref, String what) {
    return calls.call(what, ref.bucket(), ref.key(), () -> join(client
        .createMultipartUploadAsync(ref.bucket(), settings.region(), ref.key(), none(), none()))
        .result().uploadId());
  }

  @Override
  public Part uploadPart(ObjectRef ref, String uploadId, int partNumber, S3Writes.Body body,
      String what) {
    Response response = send(ref, uploadId, partNumber, body, what);
    return new Part(partNumber, response.header("ETag"));
  }

  @Override
  public ObjectInfo completeMultipartUpload(ObjectRef ref, String uploadId, List<Part> parts,
      long size, String what) {
    // Not retried: a complete that succeeded but whose answer was lost would fail the retry.
    ObjectWriteResponse done = calls.callOnce(what, ref.bucket(), ref.key(), () -> join(client
        .completeMultipartUploadAsync(ref.bucket(), settings.region(), ref.key(), uploadId,
            parts.toArray(new Part[0]), none(), none())));
    LOG.debug("Put {} ({} bytes in {} parts)", ref, size, parts.size());
    return new ObjectInfo(ref, size, serverTime(done.headers() == null ? null
        : done.headers().get("Date")), S3Objects.etag(done.etag()));
  }

  @Override
  public void abortMultipartUpload(ObjectRef ref, String uploadId, Throwable cause) {
    try {
      join(client.abortMultipartUploadAsync(ref.bucket(), settings.region(), ref.key(),
          uploadId, none(), none()));
      LOG.debug("Aborted the multipart upload of {}", ref);
    } catch (Exception e) {
      LOG.warn("Cannot abort the multipart upload {} of {}: its parts remain until a lifecycle"
          + " rule removes them", uploadId, ref, e);
      cause.addSuppressed(e);
    }
  }

  /**
   * Sends a PUT of the object (PutObject), or of one part of an upload ({@code uploadId} not
   * null), its body streamed; returns the answer, which has no body to close.
   */
  private Response send(ObjectRef ref, String uploadId, int partNumber, S3Writes.Body body,
      String what) {
    MinioCalls.MinioCall<Response> call = () -> {
      HttpUrl.Builder url = base.newBuilder()
          .addEncodedPathSegment(S3Escaper.encode(ref.bucket()))
          .addEncodedPathSegments(S3Escaper.encodePath(ref.key()));
      if (uploadId != null) {
        url.addEncodedQueryParameter("partNumber", Integer.toString(partNumber))
            .addEncodedQueryParameter("uploadId", S3Escaper.encode(uploadId));
      }
      HttpUrl target = url.build();
      Request request = new Request.Builder().url(target)
          .header("Host", host(target))
          .header("Accept-Encoding", "identity")
          .header("Content-Type", OCTET_STREAM.toString())
          .header("x-amz-content-sha256", UNSIGNED_PAYLOAD)
          .header("x-amz-date", ZonedDateTime.now().format(Time.AMZ_DATE_FORMAT))
          .put(new StreamedBody(body))
          .build();
      if (settings.accessKey().isPresent()) {
        request = Signer.signV4S3(request, settings.region(), settings.accessKey().get(),
            settings.secretKey().orElseThrow(), UNSIGNED_PAYLOAD);
      }
      try (Response response = http.newCall(request).execute()) {
        if (!response.isSuccessful()) {
          throw failure(response);
        }
        return response;
      }
    };
    return body.replayable() ? calls.call(what, ref.bucket(), ref.key(), call)
        : calls.callOnce(what, ref.bucket(), ref.key(), call);
  }

  /** The Host header as minio-java signs it: the port only when it is not the scheme's. */
  private static String host(HttpUrl url) {
    return url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host()
        : url.host() + ":" + url.port();
  }

  /** minio-java's exception for an error answer, so that {@link MinioErrors} reads it. */
  private static Exception failure(Response response) throws IOException {
    String xml = response.body() == null ? "" : response.body().string();
    ErrorResponse error = null;
    if (!xml.isBlank()) {
      try {
        error = Xml.unmarshal(ErrorResponse.class, xml);
      } catch (Exception e) {
        LOG.debug("Unreadable error answer (HTTP {}): {}", response.code(), e.toString());
      }
    }
    if (error == null) {
      return new ServerException("HTTP " + response.code() + " " + response.message(),
          response.code(), null);
    }
    return new ErrorResponseException(error, response, null);
  }

  /** No extra headers or query parameters. */
  private static Multimap<String, String> none() {
    return HashMultimap.create();
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Exception x ? x : e;
    }
  }

  private static java.time.Instant serverTime(String date) {
    return S3Objects.serverTime(Optional.ofNullable(date));
  }

  /** A body of known length streamed from {@link S3Writes.Body#open()} as OkHttp writes it. */
  private static final class StreamedBody extends RequestBody {
    private final S3Writes.Body body;

    StreamedBody(S3Writes.Body body) {
      this.body = body;
    }

    @Override
    public MediaType contentType() {
      return OCTET_STREAM;
    }

    @Override
    public long contentLength() {
      return body.length();
    }

    /** OkHttp must not send a slice of the caller's stream twice (it would be empty). */
    @Override
    public boolean isOneShot() {
      return !body.replayable();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      try (InputStream in = body.open(); Source source = Okio.source(in)) {
        sink.writeAll(source);
      }
    }
  }
}
