package dev.edx.provider.k8s;

import dev.edx.toolkit.Setting;

/**
 * The settings of the {@code k8s} secrets provider ({@code spec.secrets}): the connection ({@link
 * K8sConnectionProperties}) and those declared here, each once ({@code docs/providers/k8s.md}).
 */
public final class K8sSecretsProperties {
  /** Let put and delete replace and remove Secrets without the managed-by label. */
  public static final Setting<Boolean> ADOPT = Setting.bool("adopt",
          "Let put and delete replace and remove Secrets that lack the managed-by label.")
      .withDefault(false);

  private K8sSecretsProperties() {}
}
