package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code s3} provider's spec, parsed once. {@link #toString()} shows no credential.
 *
 * @param aws region, credentials, endpoint, retries
 * @param pathStyle path-style addressing
 * @param partSize multipart part size in bytes
 * @param sse server-side encryption: {@code none}, {@code AES256} or {@code aws:kms}
 * @param sseKmsKeyId the KMS key of {@code aws:kms}
 * @param checksumsAlways whether every upload carries a CRC32 checksum
 * @param buckets the buckets the provisioner manages
 * @param blockPublicAccess whether managed buckets block public access
 * @param lifecycleExpireDays days after which objects expire in managed buckets
 * @param lifecyclePrefix the prefix the lifecycle rule applies to
 */
record S3Settings(AwsSettings aws, boolean pathStyle, long partSize, String sse,
    Optional<String> sseKmsKeyId, boolean checksumsAlways, List<DeclaredResource> buckets,
    boolean blockPublicAccess, OptionalInt lifecycleExpireDays, String lifecyclePrefix) {

  S3Settings {
    requireNonNull(aws, "aws is null");
    requireNonNull(sse, "sse is null");
    requireNonNull(sseKmsKeyId, "sseKmsKeyId is null");
    buckets = List.copyOf(requireNonNull(buckets, "buckets is null"));
    requireNonNull(lifecycleExpireDays, "lifecycleExpireDays is null");
    requireNonNull(lifecyclePrefix, "lifecyclePrefix is null");
  }

  /** Reads a spec edx has checked against {@link AwsProperties} and {@link S3Properties}. */
  static S3Settings parse(ServiceSpec spec) {
    String sse = S3Properties.SSE.get(spec);
    Optional<String> kmsKey = S3Properties.SSE_KMS_KEY_ID.find(spec).filter(s -> !s.isBlank());
    if (kmsKey.isPresent() && !sse.equals("aws:kms")) {
      throw spec.error(S3Properties.SSE_KMS_KEY_ID.key(), "applies only with sse: aws:kms");
    }
    OptionalInt expire = S3Properties.LIFECYCLE_EXPIRE_DAYS.find(spec)
        .map(OptionalInt::of).orElse(OptionalInt.empty());
    String prefix = S3Properties.LIFECYCLE_PREFIX.get(spec);
    if (!prefix.isEmpty() && expire.isEmpty()) {
      throw spec.error(S3Properties.LIFECYCLE_PREFIX.key(), "needs "
          + S3Properties.LIFECYCLE_EXPIRE_DAYS.key());
    }
    return new S3Settings(AwsSettings.parse(spec), S3Properties.PATH_STYLE.get(spec),
        S3Properties.PART_SIZE.get(spec), sse, kmsKey,
        S3Properties.CHECKSUMS.get(spec).equals("when_supported"),
        S3Properties.BUCKETS.get(spec), S3Properties.BLOCK_PUBLIC_ACCESS.get(spec), expire,
        prefix);
  }

  @Override
  public String toString() {
    return "S3Settings{" + aws + ", pathStyle " + pathStyle + ", part size "
        + partSize / (1024 * 1024) + " MiB, sse " + sse + ", buckets "
        + buckets.stream().map(DeclaredResource::name).toList() + "}";
  }
}
