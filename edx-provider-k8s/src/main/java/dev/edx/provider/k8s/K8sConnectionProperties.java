package dev.edx.provider.k8s;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.toolkit.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
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

  /**
   * An Amazon EKS cluster: {@code {cluster, region, profile}}. The bearer token of every request
   * is then an {@link EksToken} for {@code cluster} in {@code region}, signed with the AWS
   * credentials of {@code profile} (else {@code AWS_ACCESS_KEY_ID}/{@code
   * AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN} of the environment edx runs in, else the
   * AWS SDK's default chain) and made anew before it expires. Needs the AWS SDK's {@code auth}
   * and {@code http-auth-aws} artifacts on the class path (optional dependencies of this module;
   * {@code edx-provider-aws} brings them). Cannot be combined with {@code token}.
   */
  public static final Setting<Eks> EKS = Setting.stringMap("eks",
          "An Amazon EKS cluster, {cluster, region, profile}: each request's bearer token is an"
              + " EKS token (a presigned STS GetCallerIdentity) signed with the AWS credentials"
              + " of profile, else of AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else of the AWS"
              + " SDK's default chain; refreshed before it expires.")
      .map(map -> map.isEmpty() ? null : Eks.parse(map));

  /**
   * The {@code eks} setting, read.
   *
   * @param cluster the EKS cluster name, signed into the token
   * @param region the cluster's region: the STS endpoint the token is presigned for
   * @param profile the AWS profile whose credentials sign; empty for the environment's or the
   *     default chain's
   */
  public record Eks(String cluster, String region, Optional<String> profile) {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
    private static final Pattern CLUSTER = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");

    public Eks {
      requireNonNull(cluster, "cluster is null");
      requireNonNull(region, "region is null");
      requireNonNull(profile, "profile is null");
      if (!CLUSTER.matcher(cluster).matches()) {
        throw new IllegalArgumentException("cluster '" + cluster + "' is not an EKS cluster name"
            + " (letters, digits, '-' and '_', starting with a letter or digit, at most 100)");
      }
      if (!REGION.matcher(region).matches()) {
        throw new IllegalArgumentException("region '" + region + "' is not an AWS region such"
            + " as eu-west-1");
      }
    }

    static Eks parse(Map<String, String> map) {
      Set<String> unknown = new TreeSet<>(map.keySet());
      unknown.removeAll(Set.of("cluster", "region", "profile"));
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown key(s) " + unknown + "; eks takes cluster,"
            + " region and profile");
      }
      for (String key : List.of("cluster", "region")) {
        if (map.get(key) == null || map.get(key).isBlank()) {
          throw new IllegalArgumentException("needs " + key + ", as in {cluster: gha-prod,"
              + " region: eu-west-1}");
        }
      }
      return new Eks(map.get("cluster").trim(), map.get("region").trim(),
          Optional.ofNullable(map.get("profile")).map(String::trim).filter(p -> !p.isEmpty()));
    }

    @Override
    public String toString() {
      return "eks cluster " + cluster + " in " + region + profile.map(p -> ", profile " + p)
          .orElse("");
    }
  }

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
