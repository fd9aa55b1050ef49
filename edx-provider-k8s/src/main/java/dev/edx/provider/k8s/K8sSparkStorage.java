package dev.edx.provider.k8s;

import dev.edx.api.S3Access;
import dev.edx.api.SparkJob;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.toolkit.SparkS3a;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a SparkApplication's driver and executors reach the environment's storage, derived from the
 * storage ({@link dev.edx.api.ObjectStorage#s3Access}) and the environment's rendered spec: the
 * S3A conf (endpoint, region, path style; the job's own keys win), and the credentials as
 * {@code secretKeyRef} env entries, never values. The Secret is the one the storage spec's
 * credentials reference: {@code accessKey: "${secret:minio/accessKey}"} with the {@code k8s}
 * secrets provider in the compute's namespace is key {@code accessKey} of Secret {@code minio}
 * (with {@code metadata.namePrefix}, {@code <prefix>-minio}). The compute's explicit {@code
 * s3aEndpoint} (with {@code s3aCredentialsSecret}) replaces all of this; {@code
 * s3aCredentialsSecret} alone names the Secret for the storage's endpoint. Storage with no static
 * keys (a role, IRSA) gets no credentials entry. Package-private: not public API.
 */
final class K8sSparkStorage {
  private static final Pattern SECRET_REFERENCE = Pattern.compile("\\$\\{secret:([^/}]+)/([^}]+)}");

  /** Nothing to add. */
  static final K8sSparkStorage NONE = new K8sSparkStorage(Map.of(), List.of());

  private final Map<String, String> conf;
  private final List<Map<String, Object>> env;

  private K8sSparkStorage(Map<String, String> conf, List<Map<String, Object>> env) {
    this.conf = Map.copyOf(conf);
    this.env = List.copyOf(env);
  }

  /** The S3A conf (no credentials). */
  Map<String, String> conf() {
    return conf;
  }

  /** The driver's and executors' env entries: {@code secretKeyRef}s only. */
  List<Map<String, Object>> env() {
    return env;
  }

  /**
   * What a SparkJob gets for the environment's storage.
   *
   * @throws ConfigurationException if the storage has static credentials that do not come from a
   *     Secret the pods can reference, naming the key and the fix
   */
  static K8sSparkStorage of(SparkJob job, K8sComputeSettings settings,
      Optional<S3Access> storage, Optional<String> renderedSpec) {
    if (settings.s3aEndpoint().isPresent() || storage.isEmpty()) {
      return NONE;
    }
    S3Access access = storage.get();
    Map<String, String> conf = SparkS3a.conf(access);
    List<Map<String, Object>> env = new ArrayList<>();
    if (access.credentials().isPresent()) {
      S3Access.Credentials credentials = access.credentials().get();
      if (settings.s3aCredentialsSecret().isPresent()) {
        String secret = settings.s3aCredentialsSecret().get();
        env.add(secretEnv(SparkS3a.ACCESS_KEY_ENV, secret, settings.s3aAccessKeyKey()));
        env.add(secretEnv(SparkS3a.SECRET_KEY_ENV, secret, settings.s3aSecretKeyKey()));
      } else {
        Map<String, Object> spec = parse(job, renderedSpec);
        env.add(reference(job, settings, spec, SparkS3a.ACCESS_KEY_ENV,
            credentials.accessKeyIdKey()));
        env.add(reference(job, settings, spec, SparkS3a.SECRET_KEY_ENV,
            credentials.secretAccessKeyKey()));
        if (credentials.sessionTokenKey().isPresent()) {
          env.add(reference(job, settings, spec, SparkS3a.SESSION_TOKEN_ENV,
              credentials.sessionTokenKey().get()));
        }
      }
    }
    return new K8sSparkStorage(conf, env);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(SparkJob job, Optional<String> renderedSpec) {
    if (renderedSpec.isEmpty()) {
      throw new ConfigurationException("Cannot submit SparkJob '" + job.name() + "': Spark needs"
          + " the storage's credentials, which reach pods only as secretKeyRefs, and this compute"
          + " has no environment spec to find their Secret in; set spec.compute."
          + K8sComputeProperties.S3A_CREDENTIALS_SECRET.key());
    }
    return Serialization.unmarshal(renderedSpec.get(), Map.class);
  }

  /** The secretKeyRef of the storage spec's {@code key}, which must be a {@code ${secret:}}. */
  private static Map<String, Object> reference(SparkJob job, K8sComputeSettings settings,
      Map<String, Object> document, String variable, String key) {
    Map<String, Object> spec = map(document.get("spec"));
    Map<String, Object> storage = map(spec.get("storage"));
    Map<String, Object> secrets = map(spec.get("secrets"));
    Object value = storage.get(key);
    Matcher m = SECRET_REFERENCE.matcher(value instanceof String s ? s : "");
    String fix = "; reference a Secret of namespace " + settings.namespace() + " (spec.storage."
        + key + ": \"${secret:NAME/KEY}\" with spec.secrets.provider k8s), or name it in"
        + " spec.compute." + K8sComputeProperties.S3A_CREDENTIALS_SECRET.key();
    String cannot = "Cannot submit SparkJob '" + job.name() + "': Spark needs the storage's"
        + " credentials, which reach pods only as secretKeyRefs, never as values";
    if (!m.matches()) {
      throw new ConfigurationException(cannot + ", and spec.storage." + key + " is not a"
          + " ${secret:NAME/KEY} reference" + fix);
    }
    if (!"k8s".equals(secrets.get("provider"))) {
      throw new ConfigurationException(cannot + ", and spec.storage." + key + " references the "
          + secrets.getOrDefault("provider", "(undeclared)") + " secrets provider, not"
          + " Kubernetes Secrets" + fix);
    }
    Optional<String> prefix = Optional.ofNullable(map(document.get("metadata")).get("namePrefix"))
        .map(String::valueOf);
    String namespace = String.valueOf(secrets.get("namespace"));
    if (!namespace.equals(settings.namespace()) && !prefix.map(p -> p + "-" + namespace)
        .orElse("").equals(settings.namespace())) {
      throw new ConfigurationException(cannot + ", and the Secret spec.storage." + key
          + " references is in namespace " + namespace + " (spec.secrets.namespace), not the"
          + " pods' " + settings.namespace() + fix);
    }
    String secret = prefix.map(p -> p + "-" + m.group(1)).orElse(m.group(1));
    return secretEnv(variable, secret, m.group(2));
  }

  /**
   * The Secrets a driver reads when it opens the environment of {@code renderedSpec}: the names
   * of the {@code ${secret:NAME/KEY}} references anywhere under {@code spec} (with {@code
   * metadata.namePrefix}, {@code <prefix>-NAME}), when the spec's secrets provider is {@code k8s}
   * in the compute's namespace; else none (the driver reads no Secret of the namespace). Sorted.
   */
  static SortedSet<String> driverSecrets(K8sComputeSettings settings,
      Optional<String> renderedSpec) {
    SortedSet<String> names = new TreeSet<>();
    if (renderedSpec.isEmpty()) {
      return names;
    }
    Map<String, Object> document = map(Serialization.unmarshal(renderedSpec.get(), Map.class));
    Map<String, Object> spec = map(document.get("spec"));
    Map<String, Object> secrets = map(spec.get("secrets"));
    Optional<String> prefix = Optional.ofNullable(map(document.get("metadata")).get("namePrefix"))
        .map(String::valueOf);
    String namespace = String.valueOf(secrets.get("namespace"));
    boolean inNamespace = namespace.equals(settings.namespace())
        || prefix.map(p -> p + "-" + namespace).orElse("").equals(settings.namespace());
    if (!"k8s".equals(secrets.get("provider")) || !inNamespace) {
      return names;
    }
    collectReferences(spec, names);
    if (prefix.isPresent()) {
      SortedSet<String> prefixed = new TreeSet<>();
      names.forEach(n -> prefixed.add(prefix.get() + "-" + n));
      return prefixed;
    }
    return names;
  }

  private static void collectReferences(Object value, Set<String> names) {
    if (value instanceof Map<?, ?> m) {
      m.values().forEach(v -> collectReferences(v, names));
    } else if (value instanceof List<?> l) {
      l.forEach(v -> collectReferences(v, names));
    } else if (value instanceof String s) {
      Matcher m = SECRET_REFERENCE.matcher(s);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static Map<String, Object> secretEnv(String name, String secret, String key) {
    return Map.of("name", name,
        "valueFrom", Map.of("secretKeyRef", Map.of("name", secret, "key", key)));
  }
}
