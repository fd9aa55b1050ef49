package dev.edx.provider.k8s;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach the cluster: fabric8's auto-configuration (kubeconfig or in-cluster service
 * account), a kubeconfig file and context, a master URL and a token. TLS is verified: there is no
 * setting to turn verification off. Package-private: not public API.
 */
record K8sConnection(String namespace, Optional<String> masterUrl, Optional<Path> kubeconfig,
    Optional<String> context, Optional<String> token) {
  K8sConnection {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(masterUrl, "masterUrl is null");
    requireNonNull(kubeconfig, "kubeconfig is null");
    requireNonNull(context, "context is null");
    requireNonNull(token, "token is null");
  }

  static K8sConnection from(ServiceSpec spec, ProviderContext context) {
    String namespace = K8sNames.requireDnsLabel(spec, K8sProperties.NAMESPACE,
        spec.requireString(K8sProperties.NAMESPACE));
    Optional<Path> kubeconfig = spec.getString(K8sProperties.KUBECONFIG)
        .map(p -> context.baseDirectory().resolve(p).toAbsolutePath().normalize());
    if (kubeconfig.isPresent() && !Files.isRegularFile(kubeconfig.get())) {
      throw spec.error(K8sProperties.KUBECONFIG, "no such file: " + kubeconfig.get());
    }
    return new K8sConnection(namespace, spec.getString(K8sProperties.MASTER_URL),
        kubeconfig, spec.getString(K8sProperties.CONTEXT), spec.getString(K8sProperties.TOKEN));
  }

  /** A new client; the caller closes it. */
  KubernetesClient connect() {
    Config base;
    try {
      base = kubeconfig.isPresent()
          ? Config.fromKubeconfig(context.orElse(null), kubeconfig.get().toFile())
          : Config.autoConfigure(context.orElse(null));
    } catch (RuntimeException e) {
      throw new ConfigurationException("Cannot configure the Kubernetes client"
          + kubeconfig.map(k -> " from " + k).orElse("") + ": " + e.getMessage(), e);
    }
    ConfigBuilder builder = new ConfigBuilder(base).withNamespace(namespace);
    masterUrl.ifPresent(builder::withMasterUrl);
    token.ifPresent(builder::withOauthToken);
    try {
      return new KubernetesClientBuilder().withConfig(builder.build()).build();
    } catch (RuntimeException e) {
      throw new ProviderException("Cannot create the Kubernetes client for "
          + masterUrl.orElse(base.getMasterUrl()) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "K8sConnection{namespace=" + namespace + ", masterUrl=" + masterUrl.orElse("auto")
        + ", kubeconfig=" + kubeconfig.map(Path::toString).orElse("auto") + ", context="
        + context.orElse("current") + ", token=" + (token.isPresent() ? "****" : "none") + "}";
  }
}
