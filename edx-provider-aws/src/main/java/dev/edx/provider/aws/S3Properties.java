package dev.edx.provider.aws;

import dev.edx.api.ObjectRef;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import dev.edx.toolkit.s3.S3Limits;
import java.util.List;
import java.util.Locale;

/**
 * The settings of the {@code s3} storage provider ({@code spec.storage}) besides the shared ones
 * of {@link AwsProperties}, each declared once.
 */
public final class S3Properties {
  /** The server-side encryption modes, as S3 names them. */
  static final List<String> SSE_MODES = List.of("none", "AES256", "aws:kms");

  /** Path-style addressing ({@code endpoint/bucket/key}), for S3-compatible stores. */
  public static final Setting<Boolean> PATH_STYLE = Setting.bool("pathStyle",
      "Path-style addressing (endpoint/bucket/key), for S3-compatible stores.")
      .withDefault(false);

  /** The part size of multipart uploads, in bytes or with a unit ({@code 16MiB}); 5MiB to 5GiB. */
  public static final Setting<Long> PART_SIZE = S3Limits.partSize("Part size of multipart uploads"
      + " (5MiB to 5GiB); about one part is held in memory per upload.", 8L * 1024 * 1024, "8MiB");

  /**
   * Server-side encryption of written objects and new buckets: {@code none}, {@code AES256} or
   * {@code aws:kms}.
   */
  public static final Setting<String> SSE = Setting.string("sse",
          "Server-side encryption of objects and new buckets: none, AES256 or aws:kms.")
      .map(text -> SSE_MODES.stream().filter(m -> m.equalsIgnoreCase(text.trim())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("must be one of " + SSE_MODES
              + ", not '" + text.trim() + "'")))
      .withDefault("none");

  /** The KMS key for {@code sse: aws:kms}; the account's default key when absent. */
  public static final Setting<String> SSE_KMS_KEY_ID = Setting.string("sseKmsKeyId",
      "The KMS key of sse: aws:kms; the account's default key when absent.");

  /**
   * Checksums of uploads: {@code when_supported} (CRC32 on every upload) or {@code
   * when_required}.
   */
  public static final Setting<String> CHECKSUMS = Setting.string("checksums",
          "when_supported: every upload carries a CRC32 checksum the store verifies;"
              + " when_required: only where S3 requires one.")
      .map(text -> text.trim().toLowerCase(Locale.ROOT))
      .check(c -> c.equals("when_supported") || c.equals("when_required"),
          "must be when_supported or when_required")
      .withDefault("when_supported");

  /** The buckets the provisioner manages: names, or {@code {name, adopt}} maps. */
  public static final Setting<List<DeclaredResource>> BUCKETS = Setting.resources("buckets",
      "bucket", name -> ObjectRef.of(name, "x"),
      "Buckets apply creates (tagged as owned) and destroy removes.");

  /** Whether new buckets block all public access. */
  public static final Setting<Boolean> BLOCK_PUBLIC_ACCESS = Setting.bool("blockPublicAccess",
      "Whether managed buckets block all public access.").withDefault(true);

  /** Days after which objects under {@link #LIFECYCLE_PREFIX} expire in the managed buckets. */
  public static final Setting<Integer> LIFECYCLE_EXPIRE_DAYS = Setting.integer(
          "lifecycleExpireDays",
          "Days after which objects under lifecyclePrefix expire in managed buckets.")
      .check(n -> n >= 1, "must be at least 1");

  /** The key prefix the lifecycle rule applies to ("" for all). */
  public static final Setting<String> LIFECYCLE_PREFIX = Setting.string("lifecyclePrefix",
      "The key prefix the lifecycle rule applies to (all keys when empty).").withDefault("");

  private S3Properties() {}
}
