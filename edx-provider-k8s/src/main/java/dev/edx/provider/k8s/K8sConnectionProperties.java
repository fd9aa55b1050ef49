package dev.edx.provider.k8s;

import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.toolkit.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * How the {@code k8s} compute and secrets providers reach the cluster: the settings both declare
 * ({@link K8sComputeProperties}, {@link K8sSecretsProperties}), each declared once. Read by {@link
 * K8sConnection}; the tables in {@code docs/providers/k8s.md} describe them.
 */
public final class K8sConnectionProperties {
  /** The namespace jobs, secrets and provisioned objects live in: a DNS label. Required. */
  public static final Setting<String> NAMESPACE = Setting.string("namespace",
          "The namespace jobs, secrets and provisioned objects live in.").required()
      .map(K8sNames::dnsLabel);

  /** API server URL; overrides the kubeconfig's. Default: fabric8's auto-configuration. */
  public static final Setting<String> MASTER_URL = Setting.string("masterUrl",
      "API server URL; overrides the kubeconfig's.");

  /** A kubeconfig file; a relative path resolves against the spec's folder. */
  public static final Setting<Path> KUBECONFIG = Setting.string("kubeconfig",
          "A kubeconfig file, relative to the spec's folder; default: fabric8's"
              + " auto-configuration (KUBECONFIG, ~/.kube/config or in-cluster).")
      .map(Path::of);

  /** The kubeconfig context to use; default: its current context. */
  public static final Setting<String> CONTEXT = Setting.string("context",
      "The kubeconfig context; default: its current context.");

  /** A bearer token; default: the kubeconfig's or the in-cluster service account's. Sensitive. */
  public static final Setting<String> TOKEN = Setting.string("token",
      "A bearer token; default: the kubeconfig's or the in-cluster service account's.")
      .sensitive();

  /**
   * A PEM file of the CA that signed the API server's certificate; relative to the spec's folder.
   * Default: the kubeconfig's, the in-cluster one, or the JVM's trust store.
   */
  public static final Setting<Path> CA_CERT_FILE = Setting.string("caCertFile",
          "PEM file of the API server's CA, relative to the spec's folder; default: the"
              + " kubeconfig's or the in-cluster one. TLS is always verified.")
      .map(Path::of);

  private K8sConnectionProperties() {}

  /**
   * The descriptors of a {@code k8s} provider: these connection settings, then those declared in
   * {@code holder}.
   */
  static List<PropertyDescriptor> descriptorsWith(Class<?> holder) {
    return Stream.concat(Setting.declaredIn(K8sConnectionProperties.class).stream(),
        Setting.declaredIn(holder).stream()).map(Setting::descriptor).toList();
  }
}
