package dev.edx.provider.minio;

import dev.edx.api.spi.PropertyDescriptor.Type;
import dev.edx.toolkit.Endpoints;
import dev.edx.toolkit.Setting;
import dev.edx.toolkit.s3.S3Limits;
import java.net.URI;
import java.util.List;

/**
 * The settings of the {@code minio} storage provider ({@code spec.storage}), each declared once:
 * key, type, default, sensitivity and description. The provider's page ({@code
 * docs/providers/minio.md}) describes each one.
 */
public final class MinioProperties {
  /** The S3 endpoint URL, {@code http://host:9000} or {@code https://...}, no path. Required. */
  public static final Setting<URI> ENDPOINT = Setting.string("endpoint",
          "The S3 endpoint URL: http://host:9000 or https://host, without a path.").required()
      .map(text -> Endpoints.httpRoot(text.trim(), "http://127.0.0.1:9000"));

  /** The access key. Sensitive. Without keys, requests are anonymous. */
  public static final Setting<String> ACCESS_KEY = Setting.string("accessKey",
      "The access key; without keys, requests are anonymous.").sensitive();

  /** The secret key. Sensitive; required with {@link #ACCESS_KEY}. */
  public static final Setting<String> SECRET_KEY = Setting.string("secretKey",
      "The secret key; required with accessKey.").sensitive();

  /** The region requests are signed for and buckets are created in. */
  public static final Setting<String> REGION = Setting.string("region",
      "The region requests are signed for and buckets are created in.").withDefault("us-east-1");

  /** The buckets the provisioner manages: names, or maps with settings (see {@link BucketSpec}). */
  public static final Setting<List<BucketSpec>> BUCKETS = Setting.of("buckets", Type.ANY,
      BucketSpec::readList, "Buckets apply creates and destroy removes: names, or maps {name,"
          + " adopt, versioning, policy, lifecycle: {expireDays, prefix}}.")
      .withDefault(List.of(), null);

  /** The part size of multipart uploads, in bytes or with a unit ({@code 16MiB}). */
  public static final Setting<Long> PART_SIZE = S3Limits.partSize(
      "Part size of multipart uploads, in bytes or with a unit (16MiB), 5MiB to 5GiB.",
      16L * 1024 * 1024, "16777216");

  /** A PEM file of the CA certificates to trust instead of the JVM's. */
  public static final Setting<String> CA_FILE = Setting.string("caFile",
      "A PEM file of the CA certificates to trust; relative to the spec's folder.");

  /** A trust store (PKCS12 or JKS) of the certificates to trust instead of the JVM's. */
  public static final Setting<String> TRUST_STORE = Setting.string("trustStore",
      "A PKCS12 or JKS trust store to trust; relative to the spec's folder.");

  /** The trust store's password. Sensitive. */
  public static final Setting<String> TRUST_STORE_PASSWORD = Setting.string("trustStorePassword",
      "The trust store's password.").sensitive();

  /** Turns certificate and host name checks off; logs a warning each time. Never in production. */
  public static final Setting<Boolean> INSECURE_SKIP_TLS_VERIFY = Setting.bool(
      "insecureSkipTlsVerify", "Turns certificate and host name checks off. Never in production.")
      .withDefault(false);

  private MinioProperties() {}
}
