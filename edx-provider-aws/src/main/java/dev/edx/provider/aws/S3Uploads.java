package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.toolkit.s3.S3Limits;
import dev.edx.toolkit.s3.S3Objects;
import dev.edx.toolkit.s3.S3Writes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The writes of the {@code s3} storage, with the AWS SDK.
 *
 * <ul>
 *   <li>Puts are {@link S3Writes}'s, over the SDK's PutObject and multipart calls: a stream of
 *       known length, a file or bytes are sent as they are read, a stream of unknown length a part
 *       ({@code partSize}) at a time through one buffer; a failed multipart upload is aborted.
 *   <li>Copies are server-side: CopyObject, or UploadPartCopy beyond S3's 5 GiB single-copy
 *       limit.
 *   <li>Write times are the server's: its {@code Date} header, or the copy's {@code
 *       LastModified}.
 * </ul>
 */
final class S3Uploads {
  private static final Logger LOG = LoggerFactory.getLogger(S3Uploads.class);

  private static final long COPY_PART_SIZE = 512L * 1024 * 1024;

  private final S3Settings settings;
  private final S3Client client;
  private final S3Calls calls;
  private final Writes writes = new Writes();

  S3Uploads(S3Settings settings, S3Client client, S3Calls calls) {
    this.settings = requireNonNull(settings, "settings is null");
    this.client = requireNonNull(client, "client is null");
    this.calls = requireNonNull(calls, "calls is null");
  }

  ObjectInfo put(ObjectRef ref, InputStream data) {
    return S3Writes.put(writes, ref, data, -1, settings.partSize());
  }

  ObjectInfo put(ObjectRef ref, InputStream data, long length) {
    return S3Writes.put(writes, ref, data, length, settings.partSize());
  }

  ObjectInfo put(ObjectRef ref, Path file) {
    return S3Writes.put(writes, ref, file, settings.partSize());
  }

  ObjectInfo put(ObjectRef ref, byte[] data) {
    return S3Writes.put(writes, ref, data, settings.partSize());
  }

  /** The SDK's calls {@link S3Writes} writes through. */
  private final class Writes implements S3Writes.Calls<CompletedPart> {
    @Override
    public ObjectInfo putObject(ObjectRef ref, S3Writes.Body body, String what) {
      PutObjectResponse response = call(body, what, ref, () -> client.putObject(
          encrypted(PutObjectRequest.builder().bucket(ref.bucket()).key(ref.key()))
              .contentLength(body.length()).build(), requestBody(body, what)));
      LOG.debug("Put {} ({} bytes)", ref, body.length());
      return new ObjectInfo(ref, body.length(), serverTime(response),
          S3Objects.etag(response.eTag()));
    }

    @Override
    public String createMultipartUpload(ObjectRef ref, String what) {
      CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
          .bucket(ref.bucket()).key(ref.key());
      if (settings.checksumsAlways()) {
        create.checksumAlgorithm(ChecksumAlgorithm.CRC32);
      }
      encrypted(create);
      return calls.call(what, ref.bucket(), ref.key(),
          () -> client.createMultipartUpload(create.build())).uploadId();
    }

    @Override
    public CompletedPart uploadPart(ObjectRef ref, String uploadId, int partNumber,
        S3Writes.Body body, String what) {
      UploadPartResponse response = call(body, what, ref, () -> client.uploadPart(b -> {
        b.bucket(ref.bucket()).key(ref.key()).uploadId(uploadId).partNumber(partNumber)
            .contentLength(body.length());
        if (settings.checksumsAlways()) {
          b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
      }, requestBody(body, what)));
      return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
          .checksumCRC32(response.checksumCRC32()).build();
    }

    @Override
    public ObjectInfo completeMultipartUpload(ObjectRef ref, String uploadId,
        List<CompletedPart> parts, long size, String what) {
      CompleteMultipartUploadResponse done = complete(ref, uploadId, parts, what);
      LOG.debug("Put {} ({} bytes in {} parts)", ref, size, parts.size());
      return new ObjectInfo(ref, size, serverTime(done), S3Objects.etag(done.eTag()));
    }

    @Override
    public void abortMultipartUpload(ObjectRef ref, String uploadId, Throwable cause) {
      abort(ref, uploadId, cause);
    }
  }

  /**
   * Runs a write. The SDK retries a failed request from a new stream of its body: a body that is
   * a slice of the caller's stream cannot give one and fails the retry, naming the bytes.
   */
  private <T> T call(S3Writes.Body body, String what, ObjectRef ref, Supplier<T> call) {
    return calls.call(what, ref.bucket(), ref.key(), call);
  }

  /** The body, streamed: the SDK reads it as it sends it and holds none of it. */
  private static RequestBody requestBody(S3Writes.Body body, String what) {
    return RequestBody.fromContentProvider(() -> {
      try {
        return body.open();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot " + what + ": reading the data failed", e);
      }
    }, body.length(), "application/octet-stream");
  }

  /** Copies server-side; {@code size} is the source's. */
  ObjectInfo copy(ObjectRef source, ObjectRef target, ObjectInfo from, String what) {
    if (from.size() > S3Limits.MAX_COPY_SIZE) {
      return copyMultipart(source, target, from.size(), what);
    }
    CopyObjectResponse response = calls.call(what, target.bucket(), target.key(),
        () -> client.copyObject(encrypted(CopyObjectRequest.builder()
            .sourceBucket(source.bucket()).sourceKey(source.key())
            .destinationBucket(target.bucket()).destinationKey(target.key())).build()));
    LOG.debug("Copied {} to {} ({} bytes)", source, target, from.size());
    Instant modified = response.copyObjectResult() == null
        || response.copyObjectResult().lastModified() == null ? serverTime(response)
        : response.copyObjectResult().lastModified();
    String etag = response.copyObjectResult() == null ? null
        : response.copyObjectResult().eTag();
    return new ObjectInfo(target, from.size(), modified, S3Objects.etag(etag).or(from::etag));
  }

  private ObjectInfo copyMultipart(ObjectRef source, ObjectRef target, long size, String what) {
    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
        .bucket(target.bucket()).key(target.key());
    encrypted(create);
    String uploadId = calls.call(what, target.bucket(), target.key(),
        () -> client.createMultipartUpload(create.build())).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    try {
      for (long offset = 0; offset < size; offset += COPY_PART_SIZE) {
        int partNumber = parts.size() + 1;
        String range = "bytes=" + offset + "-" + (Math.min(size, offset + COPY_PART_SIZE) - 1);
        UploadPartCopyResponse r = calls.call(what, target.bucket(), target.key(),
            () -> client.uploadPartCopy(b -> b.sourceBucket(source.bucket())
                .sourceKey(source.key()).destinationBucket(target.bucket())
                .destinationKey(target.key()).uploadId(uploadId).partNumber(partNumber)
                .copySourceRange(range)));
        parts.add(CompletedPart.builder().partNumber(partNumber)
            .eTag(r.copyPartResult().eTag()).build());
      }
      CompleteMultipartUploadResponse done = complete(target, uploadId, parts, what);
      return new ObjectInfo(target, size, serverTime(done), S3Objects.etag(done.eTag()));
    } catch (RuntimeException | Error e) {
      abort(target, uploadId, e);
      throw e;
    }
  }

  private CompleteMultipartUploadResponse complete(ObjectRef ref, String uploadId,
      List<CompletedPart> parts, String what) {
    return calls.call(what, ref.bucket(), ref.key(), () -> client.completeMultipartUpload(b ->
        b.bucket(ref.bucket()).key(ref.key()).uploadId(uploadId)
            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
  }

  /** Aborts a multipart upload so that its parts are freed; a failure to do so is added. */
  private void abort(ObjectRef ref, String uploadId, Throwable cause) {
    try {
      client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(ref.bucket())
          .key(ref.key()).uploadId(uploadId).build());
      LOG.debug("Aborted the multipart upload of {}", ref);
    } catch (SdkException e) {
      LOG.warn("Cannot abort the multipart upload {} of {}: its parts remain until a lifecycle"
          + " rule removes them", uploadId, ref, e);
      cause.addSuppressed(e);
    }
  }

  private PutObjectRequest.Builder encrypted(PutObjectRequest.Builder b) {
    if (!settings.sse().equals("none")) {
      b.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
      settings.sseKmsKeyId().ifPresent(b::ssekmsKeyId);
    }
    return b;
  }

  private void encrypted(CreateMultipartUploadRequest.Builder b) {
    if (!settings.sse().equals("none")) {
      b.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
      settings.sseKmsKeyId().ifPresent(b::ssekmsKeyId);
    }
  }

  private CopyObjectRequest.Builder encrypted(CopyObjectRequest.Builder b) {
    if (!settings.sse().equals("none")) {
      b.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
      settings.sseKmsKeyId().ifPresent(b::ssekmsKeyId);
    }
    return b;
  }

  /** The server's time of an answer, from its {@code Date} header. */
  static Instant serverTime(SdkResponse response) {
    return S3Objects.serverTime(response.sdkHttpResponse().firstMatchingHeader("Date"));
  }
}
