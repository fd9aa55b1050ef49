package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secret;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Specs;
import java.util.List;
import java.util.Map;
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

  static SecretsManagerSettings parse(ServiceSpec spec) {
    AwsSettings aws = AwsSettings.parse(spec);
    int window = Specs.getInt(spec, AwsProperties.RECOVERY_WINDOW_DAYS,
        AwsProperties.RECOVERY_WINDOW_DAYS_DEFAULT, 7);
    if (window > 30) {
      throw spec.error(AwsProperties.RECOVERY_WINDOW_DAYS, "must be between 7 and 30 days"
          + " (Secrets Manager's limits), not " + window);
    }
    boolean force = Specs.getBoolean(spec, AwsProperties.FORCE_DELETE,
        AwsProperties.FORCE_DELETE_DEFAULT);
    if (force && spec.has(AwsProperties.RECOVERY_WINDOW_DAYS)) {
      throw spec.error(AwsProperties.FORCE_DELETE, "cannot be combined with "
          + AwsProperties.RECOVERY_WINDOW_DAYS + ": a forced delete has no recovery window");
    }
    Optional<String> kms = Specs.getString(spec, AwsProperties.KMS_KEY_ID).filter(s -> !s.isBlank());
    List<DeclaredResource> secrets = DeclaredResource.parseList(spec, AwsProperties.SECRETS,
        "secret", name -> Secret.of(name, Map.of()));
    return new SecretsManagerSettings(aws, window, force, kms, secrets);
  }

  @Override
  public String toString() {
    return aws + (forceDelete ? ", deletes at once" : ", recovery window " + recoveryWindowDays
        + " days") + ", secrets " + secrets.stream().map(DeclaredResource::name).toList();
  }
}
