package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectRef;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Specs;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(|b|kib|mib|gib|kb|mb|gb|k|m|g)", Pattern.CASE_INSENSITIVE);
  static final List<String> SSE_MODES = List.of("none", "AES256", "aws:kms");

  S3Settings {
    requireNonNull(aws, "aws is null");
    requireNonNull(sse, "sse is null");
    requireNonNull(sseKmsKeyId, "sseKmsKeyId is null");
    buckets = List.copyOf(requireNonNull(buckets, "buckets is null"));
    requireNonNull(lifecycleExpireDays, "lifecycleExpireDays is null");
    requireNonNull(lifecyclePrefix, "lifecyclePrefix is null");
  }

  static S3Settings parse(ServiceSpec spec) {
    AwsSettings aws = AwsSettings.parse(spec);
    boolean pathStyle = Specs.getBoolean(spec, AwsProperties.PATH_STYLE,
        AwsProperties.PATH_STYLE_DEFAULT);
    String sse = Specs.getString(spec, AwsProperties.SSE, AwsProperties.SSE_DEFAULT).trim();
    Optional<String> mode = SSE_MODES.stream().filter(m -> m.equalsIgnoreCase(sse)).findFirst();
    if (mode.isEmpty()) {
      throw spec.error(AwsProperties.SSE, "must be one of " + SSE_MODES + ", not '" + sse + "'");
    }
    Optional<String> kmsKey = Specs.getString(spec, AwsProperties.SSE_KMS_KEY_ID)
        .filter(s -> !s.isBlank());
    if (kmsKey.isPresent() && !mode.get().equals("aws:kms")) {
      throw spec.error(AwsProperties.SSE_KMS_KEY_ID, "applies only with sse: aws:kms");
    }
    String checksums = Specs.getString(spec, AwsProperties.CHECKSUMS, AwsProperties.CHECKSUMS_DEFAULT)
        .trim().toLowerCase(Locale.ROOT);
    if (!checksums.equals("when_supported") && !checksums.equals("when_required")) {
      throw spec.error(AwsProperties.CHECKSUMS, "must be when_supported or when_required, not '"
          + checksums + "'");
    }
    List<DeclaredResource> buckets = DeclaredResource.parseList(spec, AwsProperties.BUCKETS,
        "bucket", name -> ObjectRef.of(name, "x"));
    boolean block = Specs.getBoolean(spec, AwsProperties.BLOCK_PUBLIC_ACCESS,
        AwsProperties.BLOCK_PUBLIC_ACCESS_DEFAULT);
    OptionalInt expire = spec.has(AwsProperties.LIFECYCLE_EXPIRE_DAYS)
        ? OptionalInt.of(Specs.getInt(spec, AwsProperties.LIFECYCLE_EXPIRE_DAYS, 1, 1))
        : OptionalInt.empty();
    String prefix = Specs.getString(spec, AwsProperties.LIFECYCLE_PREFIX,
        AwsProperties.LIFECYCLE_PREFIX_DEFAULT);
    if (!prefix.isEmpty() && expire.isEmpty()) {
      throw spec.error(AwsProperties.LIFECYCLE_PREFIX, "needs "
          + AwsProperties.LIFECYCLE_EXPIRE_DAYS);
    }
    return new S3Settings(aws, pathStyle, partSize(spec), mode.get(), kmsKey,
        checksums.equals("when_supported"), buckets, block, expire, prefix);
  }

  private static long partSize(ServiceSpec spec) {
    Optional<String> text = Specs.getString(spec, AwsProperties.PART_SIZE);
    if (text.isEmpty()) {
      return AwsProperties.PART_SIZE_DEFAULT;
    }
    Matcher m = SIZE.matcher(text.get().trim());
    if (!m.matches()) {
      throw spec.error(AwsProperties.PART_SIZE, "must be a size in bytes or with a unit, such as"
          + " 16MiB, not '" + text.get() + "'");
    }
    long n = Long.parseLong(m.group(1));
    long size = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "kib", "kb", "k" -> n * 1024;
      case "mib", "mb", "m" -> n * 1024 * 1024;
      case "gib", "gb", "g" -> n * 1024 * 1024 * 1024;
      default -> n;
    };
    if (size < AwsProperties.PART_SIZE_MIN || size > AwsProperties.PART_SIZE_MAX) {
      throw spec.error(AwsProperties.PART_SIZE, "must be between 5MiB and 5GiB (S3's limits),"
          + " not " + text.get());
    }
    return size;
  }

  @Override
  public String toString() {
    return "S3Settings{" + aws + ", pathStyle " + pathStyle + ", part size "
        + partSize / (1024 * 1024) + " MiB, sse " + sse + ", buckets "
        + buckets.stream().map(DeclaredResource::name).toList() + "}";
  }
}
