package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sConnectionProperties.CA_CERT_FILE;
import static dev.edx.provider.k8s.K8sConnectionProperties.CONTEXT;
import static dev.edx.provider.k8s.K8sConnectionProperties.EKS;
import static dev.edx.provider.k8s.K8sConnectionProperties.KUBECONFIG;
import static dev.edx.provider.k8s.K8sConnectionProperties.MASTER_URL;
import static dev.edx.provider.k8s.K8sConnectionProperties.NAMESPACE;
import static dev.edx.provider.k8s.K8sConnectionProperties.TOKEN;
import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Setting;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to reach the cluster, read once from the spec through {@link K8sConnectionProperties}: a
 * kubeconfig file (or fabric8's auto-configuration: {@code $KUBECONFIG}, {@code ~/.kube/config},
 * else the in-cluster service account) with the spec's {@code context}, {@code masterUrl} over it,
 * a bearer {@code token} (or {@code eks}: an {@link EksToken} for an Amazon EKS cluster, made
 * anew before it expires, {@link K8sConnectionEks}) and a {@code caCertFile}. TLS is verified:
 * there is no setting to turn verification off, and a kubeconfig or environment that turns it off
 * ({@code insecure-skip-tls-verify}, {@code KUBERNETES_TRUST_CERTIFICATES}) is refused.
 * Package-private: not public API.
 */
final class K8sConnection {
  private final String namespace;
  private final Config config;
  private final String description;

  private K8sConnection(String namespace, Config config, String description) {
    this.namespace = requireNonNull(namespace, "namespace is null");
    this.config = requireNonNull(config, "config is null");
    this.description = requireNonNull(description, "description is null");
  }

  /**
   * Reads the connection settings ({@link K8sConnectionProperties}) and builds the client
   * configuration; a missing file, a context the kubeconfig does not have, or TLS verification
   * turned off fail naming the key.
   */
  static K8sConnection from(ServiceSpec spec, ProviderContext context) {
    String namespace = NAMESPACE.get(spec);
    Optional<Path> kubeconfig = existingFile(spec, context.baseDirectory(), KUBECONFIG);
    Optional<Path> caCert = existingFile(spec, context.baseDirectory(), CA_CERT_FILE);
    Optional<String> kubeContext = CONTEXT.find(spec);
    Optional<String> masterUrl = MASTER_URL.find(spec);
    Optional<String> token = TOKEN.find(spec);
    Optional<K8sConnectionProperties.Eks> eks = EKS.find(spec);
    if (eks.isPresent() && token.isPresent()) {
      throw spec.error(TOKEN.key(), "cannot be combined with " + EKS.key() + ", which makes the"
          + " bearer token: remove one of them");
    }
    String configKey = kubeconfig.isPresent() ? KUBECONFIG.key() : CONTEXT.key();
    Config base;
    try {
      base = kubeconfig.isPresent()
          ? Config.fromKubeconfig(kubeContext.orElse(null), kubeconfig.get().toFile())
          : Config.autoConfigure(kubeContext.orElse(null));
    } catch (RuntimeException e) {
      throw spec.error(configKey, "cannot configure the Kubernetes client"
          + kubeconfig.map(k -> " from " + k).orElse("") + ": " + e.getMessage(), e);
    }
    if (kubeContext.isPresent()) {
      NamedContext current = base.getCurrentContext();
      if (current == null || !kubeContext.get().equals(current.getName())) {
        List<String> known = base.getContexts() == null ? List.of()
            : base.getContexts().stream().map(NamedContext::getName).sorted().toList();
        throw spec.error(CONTEXT.key(), "no context '" + kubeContext.get() + "' in "
            + kubeconfig.map(Path::toString).orElse("the kubeconfig") + "; its contexts: "
            + (known.isEmpty() ? "none" : String.join(", ", known)));
      }
    }
    if (base.isTrustCerts() || base.isDisableHostnameVerification()) {
      throw spec.error(configKey, "turns TLS verification off (insecure-skip-tls-verify or"
          + " KUBERNETES_TRUST_CERTIFICATES); edx always verifies the API server: give its CA"
          + " with " + CA_CERT_FILE.key() + " or in the kubeconfig instead");
    }
    ConfigBuilder builder = new ConfigBuilder(base).withNamespace(namespace);
    masterUrl.ifPresent(builder::withMasterUrl);
    // The spec's token replaces the kubeconfig's (which fabric8 keeps as the "auto" token).
    token.ifPresent(t -> builder.withOauthToken(t).withAutoOAuthToken(t));
    if (eks.isPresent()) {
      // Every request's bearer token; it replaces the kubeconfig's token and exec plugin.
      builder.withOauthTokenProvider(eksTokens(spec, eks.get(), context));
    }
    caCert.ifPresent(c -> builder.withCaCertFile(c.toString()).withCaCertData(null));
    Config config = builder.build();
    String description = "K8sConnection{namespace=" + namespace + ", masterUrl="
        + config.getMasterUrl() + ", kubeconfig=" + kubeconfig.map(Path::toString).orElse("auto")
        + ", context=" + kubeContext.orElse("current") + ", token="
        + (token.isPresent() ? "****" : "none") + eks.map(e -> ", " + e).orElse("")
        + ", caCertFile="
        + caCert.map(Path::toString).orElse("none") + "}";
    return new K8sConnection(namespace, config, description);
  }

  /**
   * The EKS token provider; the AWS SDK classes it needs are optional dependencies of this
   * module, so their absence is a spec error naming the key, not a NoClassDefFoundError.
   */
  private static OAuthTokenProvider eksTokens(ServiceSpec spec, K8sConnectionProperties.Eks eks,
      ProviderContext context) {
    for (String name : List.of("software.amazon.awssdk.auth.credentials.AwsCredentialsProvider",
        "software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner")) {
      try {
        Class.forName(name, false, K8sConnection.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw spec.error(EKS.key(), "needs the AWS SDK for Java v2 on the class path (" + name
            + " is missing): add software.amazon.awssdk:auth and"
            + " software.amazon.awssdk:http-auth-aws, or edx-provider-aws, which brings them", e);
      }
    }
    return K8sConnectionEks.of(eks, context);
  }

  /** {@code path} against the spec's folder, absolute and normalized. */
  static Path resolve(Path baseDirectory, Path path) {
    return baseDirectory.resolve(path).toAbsolutePath().normalize();
  }

  /** The file a path setting names, resolved ({@link #resolve}); one that does not exist fails. */
  static Optional<Path> existingFile(ServiceSpec spec, Path baseDirectory, Setting<Path> setting) {
    Optional<Path> file = setting.find(spec).map(p -> resolve(baseDirectory, p));
    if (file.isPresent() && !Files.isRegularFile(file.get())) {
      throw spec.error(setting.key(), "no such file: " + file.get());
    }
    return file;
  }

  String namespace() {
    return namespace;
  }

  /** The client configuration; for tests. */
  Config config() {
    return config;
  }

  /** A new client; the caller closes it. */
  KubernetesClient connect() {
    try {
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (RuntimeException e) {
      throw new ProviderException("Cannot create the Kubernetes client for "
          + config.getMasterUrl() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
