package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import java.util.List;
import java.util.Optional;

/**
 * The {@code secretsmanager} provider's spec, parsed once. {@link #toString()} shows no credential.
 *
 * @param aws region, credentials, endpoint, retries
 * @param recoveryWindowDays days a deleted secret can be restored
 * @param forceDelete delete without a recovery window
 * @param kmsKeyId the KMS key of new secrets
 * @param secrets the secrets the provisioner manages
 */
record SecretsManagerSettings(AwsSettings aws, int recoveryWindowDays, boolean forceDelete,
    Optional<String> kmsKeyId, List<DeclaredResource> secrets) {

  SecretsManagerSettings {
    requireNonNull(aws, "aws is null");
    requireNonNull(kmsKeyId, "kmsKeyId is null");
    secrets = List.copyOf(requireNonNull(secrets, "secrets is null"));
  }

  /**
   * Reads a spec edx has checked against {@link AwsProperties} and {@link
   * SecretsManagerProperties}.
   */
  static SecretsManagerSettings parse(ServiceSpec spec) {
    boolean force = SecretsManagerProperties.FORCE_DELETE.get(spec);
    if (force && SecretsManagerProperties.RECOVERY_WINDOW_DAYS.isSet(spec)) {
      throw spec.error(SecretsManagerProperties.FORCE_DELETE.key(), "cannot be combined with "
          + SecretsManagerProperties.RECOVERY_WINDOW_DAYS.key()
          + ": a forced delete has no recovery window");
    }
    return new SecretsManagerSettings(AwsSettings.parse(spec),
        SecretsManagerProperties.RECOVERY_WINDOW_DAYS.get(spec), force,
        SecretsManagerProperties.KMS_KEY_ID.find(spec).filter(s -> !s.isBlank()),
        SecretsManagerProperties.SECRETS.get(spec));
  }

  @Override
  public String toString() {
    return aws + (forceDelete ? ", deletes at once" : ", recovery window " + recoveryWindowDays
        + " days") + ", secrets " + secrets.stream().map(DeclaredResource::name).toList();
  }
}
