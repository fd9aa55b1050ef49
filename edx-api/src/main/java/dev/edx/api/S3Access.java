package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * How an engine that speaks the S3 protocol itself (Spark's S3A, Trino, the AWS CLI) reaches a
 * storage: the endpoint, region and addressing the storage uses, and its credentials, if the spec
 * gives static ones. {@link #toString()} never shows a credential.
 *
 * @param endpoint an endpoint other than AWS's (MinIO, an embedded S3 endpoint); empty for AWS
 * @param region the region requests are signed for; empty when the storage has none
 * @param pathStyle whether buckets are addressed by path ({@code endpoint/bucket/key}) rather than
 *     by host
 * @param credentials the static keys of the storage's spec; empty when the storage uses a profile
 *     or the AWS default chain (a role), which an engine then uses as well
 */
public record S3Access(Optional<URI> endpoint, Optional<String> region, boolean pathStyle,
    Optional<Credentials> credentials) {
  public S3Access {
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(region, "region is null");
    requireNonNull(credentials, "credentials is null");
  }

  /**
   * Static S3 credentials, and the {@code spec.storage} keys they were read from (so that a
   * compute can hand an engine the same reference, such as a Kubernetes {@code secretKeyRef},
   * rather than the value). {@link #toString()} masks the values.
   *
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret access key
   * @param sessionToken the session token of temporary credentials
   * @param accessKeyIdKey the storage spec key of the access key id ({@code accessKey})
   * @param secretAccessKeyKey the storage spec key of the secret access key
   * @param sessionTokenKey the storage spec key of the session token, when there is one
   */
  public record Credentials(String accessKeyId, String secretAccessKey,
      Optional<String> sessionToken, String accessKeyIdKey, String secretAccessKeyKey,
      Optional<String> sessionTokenKey) {
    public Credentials {
      requireNonNull(accessKeyId, "accessKeyId is null");
      requireNonNull(secretAccessKey, "secretAccessKey is null");
      requireNonNull(sessionToken, "sessionToken is null");
      requireNonNull(accessKeyIdKey, "accessKeyIdKey is null");
      requireNonNull(secretAccessKeyKey, "secretAccessKeyKey is null");
      requireNonNull(sessionTokenKey, "sessionTokenKey is null");
    }

    @Override
    public String toString() {
      return "Credentials[" + accessKeyIdKey + "=****, " + secretAccessKeyKey + "=****"
          + sessionTokenKey.map(k -> ", " + k + "=****").orElse("") + "]";
    }
  }
}
