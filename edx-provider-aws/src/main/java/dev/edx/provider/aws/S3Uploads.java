package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.toolkit.s3.S3Limits;
import dev.edx.toolkit.s3.S3Objects;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 *   <li>A stream of unknown length is read a part ({@code partSize}) at a time: a stream that ends
 *       within the first part is one PutObject; a longer one is a multipart upload, aborted if
 *       anything fails, so no orphaned parts are left to bill. One part buffer is held per upload.
 *   <li>Copies are server-side: CopyObject, or UploadPartCopy beyond S3's 5 GiB single-copy
 *       limit.
 *   <li>Write times are the server's: its {@code Date} header, or the copy's {@code
 *       LastModified}.
 * </ul>
 */
final class S3Uploads {
  private static final Logger LOG = LoggerFactory.getLogger(S3Uploads.class);

  private static final long COPY_PART_SIZE = 512L * 1024 * 1024;
  private static final int SMALL_BUFFER = 64 * 1024;

  private final S3Settings settings;
  private final S3Client client;
  private final S3Calls calls;

  S3Uploads(S3Settings settings, S3Client client, S3Calls calls) {
    this.settings = requireNonNull(settings, "settings is null");
    this.client = requireNonNull(client, "client is null");
    this.calls = requireNonNull(calls, "calls is null");
  }

  ObjectInfo put(ObjectRef ref, InputStream data) {
    String what = "put " + ref;
    int partSize = (int) Math.min(settings.partSize(), Integer.MAX_VALUE - 8);
    // Small objects are common: the buffer starts small and grows to a part as data arrives.
    byte[] buffer = new byte[Math.min(partSize, SMALL_BUFFER)];
    int n = fill(data, buffer, 0, what);
    while (n == buffer.length && buffer.length < partSize) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(partSize, 4L * buffer.length));
      n += fill(data, buffer, n, what);
    }
    if (n < partSize) {
      byte[] bytes = buffer;
      int length = n;
      PutObjectResponse response = calls.call(what, ref.bucket(), ref.key(),
          () -> client.putObject(encrypted(PutObjectRequest.builder().bucket(ref.bucket())
              .key(ref.key())).contentLength((long) length).build(), body(bytes, length)));
      LOG.debug("Put {} ({} bytes)", ref, length);
      return new ObjectInfo(ref, length, serverTime(response), S3Objects.etag(response.eTag()));
    }
    return putMultipart(ref, data, buffer, n, what);
  }

  private ObjectInfo putMultipart(ObjectRef ref, InputStream data, byte[] buffer, int first,
      String what) {
    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
        .bucket(ref.bucket()).key(ref.key());
    if (settings.checksumsAlways()) {
      create.checksumAlgorithm(ChecksumAlgorithm.CRC32);
    }
    encrypted(create);
    String uploadId = calls.call(what, ref.bucket(), ref.key(),
        () -> client.createMultipartUpload(create.build())).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    long total = 0;
    try {
      int n = first;
      while (n > 0) {
        int partNumber = parts.size() + 1;
        int length = n;
        UploadPartResponse response = calls.call(what, ref.bucket(), ref.key(),
            () -> client.uploadPart(b -> {
              b.bucket(ref.bucket()).key(ref.key()).uploadId(uploadId).partNumber(partNumber)
                  .contentLength((long) length);
              if (settings.checksumsAlways()) {
                b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
              }
            }, body(buffer, length)));
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
            .checksumCRC32(response.checksumCRC32()).build());
        total += length;
        n = length < buffer.length ? 0 : fill(data, buffer, 0, what);
      }
      CompleteMultipartUploadResponse done = complete(ref, uploadId, parts, what);
      LOG.debug("Put {} ({} bytes in {} parts)", ref, total, parts.size());
      return new ObjectInfo(ref, total, serverTime(done), S3Objects.etag(done.eTag()));
    } catch (RuntimeException | Error e) {
      abort(ref, uploadId, e);
      throw e;
    }
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

  private static RequestBody body(byte[] buffer, int length) {
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length),
        length, "application/octet-stream");
  }

  /** Reads into {@code buffer} from {@code start} until full or the end; returns bytes read. */
  private static int fill(InputStream in, byte[] buffer, int start, String what) {
    int n = start;
    try {
      while (n < buffer.length) {
        int r = in.read(buffer, n, buffer.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot " + what + ": reading the data failed", e);
    }
    return n - start;
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
