package dev.edx.testkit.local;

import dev.edx.api.Secret;
import dev.edx.core.local.EnvSecrets;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.SecretsContract;
import java.util.Map;

/** The secrets contract against the read-only {@code env} provider, over a fixed environment. */
class EnvSecretsContractTest extends SecretsContract<EnvSecrets> {

  private final EnvSecrets secrets = new EnvSecrets(Map.of(
      "EDX_SECRET_PG__USER", "edx",
      "EDX_SECRET_PG__PASSWORD", "pg-password-from-env",
      "EDX_SECRET_MINIO_ROOT__ACCESS_KEY", "minio-access",
      "EDX_SECRET_MINIO_ROOT__SECRET_KEY", "minio-secret-key",
      "PATH", "/usr/bin:/bin",
      "HOME", "/home/edx"), "EDX_SECRET_");

  @Override
  protected EnvSecrets secrets() {
    return secrets;
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return capability != EdxCapability.SECRETS_WRITE && super.supports(capability);
  }

  @Override
  protected Secret existingSecret() {
    return Secret.of("minio-root",
        Map.of("access_key", "minio-access", "secret_key", "minio-secret-key"));
  }
}
