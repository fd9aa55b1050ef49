package dev.edx.provider.aws;

import dev.edx.api.Secret;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.util.List;
import java.util.Map;

/**
 * The settings of the {@code secretsmanager} secrets provider ({@code spec.secrets}) besides the
 * shared ones of {@link AwsProperties}, each declared once.
 */
public final class SecretsManagerProperties {
  /** Days a deleted secret can be restored (7 to 30). */
  public static final Setting<Integer> RECOVERY_WINDOW_DAYS = Setting.integer(
          "recoveryWindowDays", "Days a deleted secret can be restored (7 to 30).")
      .check(n -> n >= 7 && n <= 30,
          "must be between 7 and 30 days (Secrets Manager's limits)")
      .withDefault(30);

  /** Delete secrets at once, without a recovery window. */
  public static final Setting<Boolean> FORCE_DELETE = Setting.bool("forceDelete",
      "Delete secrets at once, without a recovery window.").withDefault(false);

  /**
   * The KMS key new secrets are encrypted with; the account's {@code aws/secretsmanager} key when
   * absent.
   */
  public static final Setting<String> KMS_KEY_ID = Setting.string("kmsKeyId",
      "The KMS key new secrets are encrypted with (aws/secretsmanager when absent).");

  /** The secrets the provisioner manages (created empty, filled with put). */
  public static final Setting<List<DeclaredResource>> SECRETS = Setting.resources("secrets",
      "secret", name -> Secret.of(name, Map.of()),
      "Secrets apply creates empty (tagged as owned) and destroy removes.");

  private SecretsManagerProperties() {}
}
