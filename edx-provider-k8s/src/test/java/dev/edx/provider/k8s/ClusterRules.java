package dev.edx.provider.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A test double for what fabric8's mock API server does not model: the rules a real API server
 * (Kubernetes 1.29 to 1.36) and spark-operator's validating webhook (v2.4.0 to v2.5.2) apply to
 * the objects edx creates in one namespace. Written out from their sources, independently of the
 * provider's own checks, so that a test can walk whole rendered manifests through them:
 *
 * <ul>
 *   <li>names: DNS-1123 label (Namespace, container), DNS-1123 subdomain (ConfigMap, Secret,
 *       ServiceAccount, Job, LimitRange, ResourceQuota), path segment (Role, RoleBinding),
 *       DNS-1035 label (SparkApplication, and its {@code <name>-ui-svc} Service); a Job's name is
 *       also its pods' {@code job-name} label value (at most 63);
 *   <li>label keys and values, nodeSelector, tolerations ({@code ValidateTolerations}), TTLs;
 *   <li>LimitRange validity after the server's defaulting ({@code SetDefaults_LimitRangeItem},
 *       {@code ValidateLimitRange});
 *   <li>admission of each pod: the LimitRanger's defaults, then request <= limit, the
 *       LimitRange's min and max, and the ResourceQuota (every tracked resource specified,
 *       one pod within the hard limits); SparkApplications are turned into the driver and
 *       executor pods Spark creates (CPU request {@code cores}, limit {@code coreLimit}, memory
 *       request and limit {@code memory} plus Spark's overhead);
 *   <li>spark-operator's webhook: the name, the refused {@code sparkConf} keys ({@code
 *       sparkconf_validator.go}), {@code spark.kubernetes.namespace}, node selectors not at two
 *       levels, an image for every pod.
 * </ul>
 */
final class ClusterRules {
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_NAME = Pattern.compile(
      "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile(
      "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  /** spark-operator v2.5.2, internal/webhook/sparkconf_validator.go: deniedSparkConfKeys. */
  private static final Set<String> DENIED_SPARK_CONF = Set.of(
      "spark.kubernetes.authenticate.driver.serviceAccountName",
      "spark.kubernetes.authenticate.executor.serviceAccountName",
      "spark.kubernetes.authenticate.oauthTokenFile",
      "spark.kubernetes.authenticate.oauthToken",
      "spark.kubernetes.authenticate.driver.oauthTokenFile",
      "spark.kubernetes.authenticate.driver.oauthToken",
      "spark.kubernetes.authenticate.executor.oauthTokenFile",
      "spark.kubernetes.authenticate.executor.oauthToken",
      "spark.master",
      "spark.kubernetes.driver.master",
      "spark.kubernetes.container.image",
      "spark.kubernetes.driver.container.image",
      "spark.kubernetes.executor.container.image");
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  /** The ResourceQuota keys that pods' containers must each specify, and where. */
  private static final Map<String, String[]> QUOTA_TRACKED = Map.of(
      "requests.cpu", new String[] {"requests", "cpu"}, "cpu", new String[] {"requests", "cpu"},
      "requests.memory", new String[] {"requests", "memory"},
      "memory", new String[] {"requests", "memory"},
      "limits.cpu", new String[] {"limits", "cpu"},
      "limits.memory", new String[] {"limits", "memory"});

  private ClusterRules() {}

  /**
   * What a real cluster with spark-operator would refuse among {@code objects}, all of one
   * namespace (its Namespace, ResourceQuota and LimitRange among them or not): one line per
   * violation, naming the object and the rule; empty when all are accepted.
   */
  static List<String> violations(List<? extends HasMetadata> objects) {
    List<String> v = new ArrayList<>();
    LimitRange limitRange = null;
    ResourceQuota quota = null;
    for (HasMetadata o : objects) {
      if (o instanceof LimitRange l) {
        limitRange = l;
      } else if (o instanceof ResourceQuota q) {
        quota = q;
      }
    }
    for (HasMetadata o : objects) {
      String what = o.getKind() + " " + o.getMetadata().getName();
      metadata(v, what, o);
      if (o instanceof LimitRange l) {
        limitRange(v, what, l);
      } else if (o instanceof ResourceQuota q) {
        q.getSpec().getHard().forEach((k, h) -> {
          if (amount(h).signum() < 0) {
            v.add(what + ": spec.hard." + k + " is negative");
          }
        });
      } else if (o instanceof Job j) {
        job(v, what, j, limitRange, quota);
      } else if (o instanceof GenericKubernetesResource g
          && "SparkApplication".equals(g.getKind())) {
        sparkApplication(v, what, g, limitRange, quota);
      } else if (o instanceof RoleBinding b) {
        b.getSubjects().forEach(s -> subdomain(v, what + " subject", s.getName()));
      }
    }
    return v;
  }

  // --- names and metadata ---

  private static void metadata(List<String> v, String what, HasMetadata o) {
    String name = o.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      v.add(what + ": metadata.name is required");
      return;
    }
    switch (o.getKind()) {
      case "Namespace" -> label(v, what, name);
      case "Role", "RoleBinding" -> {
        if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")) {
          v.add(what + ": name may not be '.', '..' or contain '/' or '%'");
        }
      }
      case "SparkApplication" -> {
        if (name.length() > 63 || !DNS_1035_LABEL.matcher(name).matches()) {
          v.add(what + ": spark-operator's webhook refuses a name that is not a DNS-1035 label"
              + " (a lower-case letter first)");
        }
        if ((name + "-ui-svc").length() > 63) {
          v.add(what + ": its UI Service " + name + "-ui-svc is longer than 63 characters");
        }
      }
      case "Job" -> {
        subdomain(v, what, name);
        if (name.length() > 63) {
          v.add(what + ": a Job's name is its pods' job-name label: at most 63 characters");
        }
      }
      default -> subdomain(v, what, name);
    }
    if (o.getMetadata().getNamespace() != null) {
      label(v, what + " namespace", o.getMetadata().getNamespace());
    }
    labels(v, what + " label", o.getMetadata().getLabels());
    if (o.getMetadata().getAnnotations() != null) {
      o.getMetadata().getAnnotations().keySet().forEach(k -> qualifiedName(v,
          what + " annotation", k));
    }
  }

  private static void label(List<String> v, String what, String name) {
    if (name.length() > 63 || !DNS_1123_LABEL.matcher(name).matches()) {
      v.add(what + ": '" + name + "' is not a DNS-1123 label");
    }
  }

  private static void subdomain(List<String> v, String what, String name) {
    boolean ok = name != null && name.length() <= 253;
    if (ok) {
      for (String part : name.split("\\.", -1)) {
        ok &= DNS_1123_LABEL.matcher(part).matches();
      }
    }
    if (!ok) {
      v.add(what + ": '" + name + "' is not a DNS-1123 subdomain (each dot-separated part a"
          + " DNS label)");
    }
  }

  private static void qualifiedName(List<String> v, String what, String key) {
    String[] parts = key.split("/", -1);
    boolean ok = parts.length <= 2;
    String name = parts[parts.length - 1];
    ok &= name.length() <= 63 && LABEL_NAME.matcher(name).matches();
    if (ok && parts.length == 2) {
      List<String> sub = new ArrayList<>();
      subdomain(sub, what, parts[0]);
      ok = sub.isEmpty() && !parts[0].isEmpty();
    }
    if (!ok) {
      v.add(what + ": key '" + key + "' is not a qualified name");
    }
  }

  private static void labels(List<String> v, String what, Map<String, String> labels) {
    if (labels == null) {
      return;
    }
    labels.forEach((k, value) -> {
      qualifiedName(v, what, k);
      if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
        v.add(what + " " + k + ": '" + value + "' is not a label value");
      }
    });
  }

  private static void tolerations(List<String> v, String what, List<Toleration> tolerations) {
    for (Toleration t : tolerations) {
      String key = Objects.toString(t.getKey(), "");
      String op = Objects.toString(t.getOperator(), "");
      String value = Objects.toString(t.getValue(), "");
      String effect = Objects.toString(t.getEffect(), "");
      if (!key.isEmpty()) {
        qualifiedName(v, what + " toleration", key);
      }
      if (key.isEmpty() && !op.equals("Exists")) {
        v.add(what + ": a toleration without key must have operator Exists");
      }
      if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
        v.add(what + ": tolerationSeconds needs effect NoExecute, not '" + effect + "'");
      }
      switch (op) {
        case "", "Equal" -> {
          if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            v.add(what + ": toleration value '" + value + "' is not a label value");
          }
        }
        case "Exists" -> {
          if (!value.isEmpty()) {
            v.add(what + ": value must be empty when operator is Exists");
          }
        }
        default -> v.add(what + ": toleration operator '" + op + "' is not Equal or Exists");
      }
      if (!effect.isEmpty() && !EFFECTS.contains(effect)) {
        v.add(what + ": toleration effect '" + effect + "' is not supported");
      }
    }
  }

  private static void nodeSelector(List<String> v, String what, Map<String, String> selector) {
    labels(v, what + " nodeSelector", selector);
  }

  // --- Jobs and pods ---

  private static void job(List<String> v, String what, Job job, LimitRange limitRange,
      ResourceQuota quota) {
    var spec = job.getSpec();
    if (spec.getTtlSecondsAfterFinished() != null && spec.getTtlSecondsAfterFinished() < 0) {
      v.add(what + ": ttlSecondsAfterFinished must be non-negative");
    }
    if (spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() <= 0) {
      v.add(what + ": activeDeadlineSeconds must be greater than zero");
    }
    if (spec.getBackoffLimit() != null && spec.getBackoffLimit() < 0) {
      v.add(what + ": backoffLimit must be non-negative");
    }
    labels(v, what + " pod label", spec.getTemplate().getMetadata().getLabels());
    PodSpec pod = spec.getTemplate().getSpec();
    if (!Set.of("Never", "OnFailure").contains(pod.getRestartPolicy())) {
      v.add(what + ": a Job's restartPolicy must be Never or OnFailure");
    }
    if (pod.getServiceAccountName() != null) {
      subdomain(v, what + " serviceAccountName", pod.getServiceAccountName());
    }
    tolerations(v, what, pod.getTolerations());
    nodeSelector(v, what, pod.getNodeSelector());
    pod.getVolumes().forEach(vol -> {
      label(v, what + " volume", vol.getName());
      if (vol.getConfigMap() != null) {
        subdomain(v, what + " volume configMap", vol.getConfigMap().getName());
      }
    });
    for (Container c : pod.getContainers()) {
      label(v, what + " container", c.getName());
      if (c.getImage() == null || c.getImage().isBlank()) {
        v.add(what + ": container " + c.getName() + " has no image");
      }
      env(v, what, c.getEnv());
      Map<String, BigDecimal> requests = new LinkedHashMap<>();
      Map<String, BigDecimal> limits = new LinkedHashMap<>();
      if (c.getResources() != null) {
        amounts(c.getResources().getRequests(), requests);
        amounts(c.getResources().getLimits(), limits);
      }
      admit(v, what + " container " + c.getName(), requests, limits, limitRange, quota);
    }
  }

  private static void env(List<String> v, String what, List<EnvVar> env) {
    for (EnvVar e : env) {
      if (!ENV_NAME.matcher(e.getName()).matches()) {
        v.add(what + ": env name '" + e.getName() + "' is not valid");
      }
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        subdomain(v, what + " secretKeyRef", e.getValueFrom().getSecretKeyRef().getName());
        if (!CONFIG_KEY.matcher(e.getValueFrom().getSecretKeyRef().getKey()).matches()) {
          v.add(what + ": secretKeyRef key is not a valid Secret key");
        }
      }
    }
  }

  private static void amounts(Map<String, Quantity> from, Map<String, BigDecimal> to) {
    if (from != null) {
      from.forEach((k, q) -> to.put(k, amount(q)));
    }
  }

  /**
   * Admission of one container into the namespace, as the API server does it: the pod's own
   * defaulting (a limit without a request: the request is the limit), the LimitRanger's defaults
   * (default limit, default request), pod validation (request <= limit), the LimitRanger's
   * min/max, then the ResourceQuota.
   */
  static void admit(List<String> v, String what, Map<String, BigDecimal> requestsIn,
      Map<String, BigDecimal> limitsIn, LimitRange limitRange, ResourceQuota quota) {
    Map<String, BigDecimal> requests = new LinkedHashMap<>(requestsIn);
    Map<String, BigDecimal> limits = new LinkedHashMap<>(limitsIn);
    limits.forEach(requests::putIfAbsent);
    LimitRangeItem item = limitRange == null ? null : defaulted(limitRange);
    if (item != null) {
      item.getDefault().forEach((k, q) -> limits.putIfAbsent(k, amount(q)));
      item.getDefaultRequest().forEach((k, q) -> requests.putIfAbsent(k, amount(q)));
    }
    requests.forEach((k, r) -> {
      BigDecimal l = limits.get(k);
      if (l != null && r.compareTo(l) > 0) {
        v.add(what + ": " + k + " request " + r.toPlainString() + " must be less than or equal"
            + " to " + k + " limit " + l.toPlainString());
      }
    });
    if (item != null) {
      if (item.getMin() != null) {
        item.getMin().forEach((k, q) -> {
          BigDecimal r = requests.get(k);
          if (r == null || r.compareTo(amount(q)) < 0) {
            v.add(what + ": minimum " + k + " usage per Container is " + q + ", request is "
                + r);
          }
        });
      }
      if (item.getMax() != null) {
        item.getMax().forEach((k, q) -> {
          BigDecimal l = limits.get(k);
          if (l == null || l.compareTo(amount(q)) > 0) {
            v.add(what + ": maximum " + k + " usage per Container is " + q + ", limit is " + l);
          }
        });
      }
    }
    if (quota != null) {
      quota.getSpec().getHard().forEach((k, hard) -> {
        String[] where = QUOTA_TRACKED.get(k);
        if (where == null) {
          return;
        }
        BigDecimal used = (where[0].equals("requests") ? requests : limits).get(where[1]);
        if (used == null) {
          v.add(what + ": failed quota: must specify " + k);
        } else if (used.compareTo(amount(hard)) > 0) {
          v.add(what + ": exceeded quota: requested " + k + "=" + used.toPlainString()
              + ", limited: " + k + "=" + hard);
        }
      });
    }
  }

  // --- LimitRange ---

  /** The LimitRange's Container item after the API server's SetDefaults_LimitRangeItem. */
  static LimitRangeItem defaulted(LimitRange limitRange) {
    LimitRangeItem item = Serialization.clone(limitRange).getSpec().getLimits().stream()
        .filter(i -> "Container".equals(i.getType())).findFirst().orElse(null);
    if (item == null) {
      return new LimitRangeItem(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), "Container");
    }
    Map<String, Quantity> def = new LinkedHashMap<>(orEmpty(item.getDefault()));
    Map<String, Quantity> defReq = new LinkedHashMap<>(orEmpty(item.getDefaultRequest()));
    orEmpty(item.getMax()).forEach(def::putIfAbsent);
    def.forEach(defReq::putIfAbsent);
    orEmpty(item.getMin()).forEach(defReq::putIfAbsent);
    item.setDefault(def);
    item.setDefaultRequest(defReq);
    item.setMin(orEmpty(item.getMin()));
    item.setMax(orEmpty(item.getMax()));
    return item;
  }

  private static Map<String, Quantity> orEmpty(Map<String, Quantity> map) {
    return map == null ? Map.of() : map;
  }

  /** ValidateLimitRange's ordering, on the defaulted item. */
  private static void limitRange(List<String> v, String what, LimitRange limitRange) {
    LimitRangeItem item = defaulted(limitRange);
    Set<String> keys = new java.util.TreeSet<>();
    List.of(item.getMin(), item.getMax(), item.getDefault(), item.getDefaultRequest())
        .forEach(m -> keys.addAll(m.keySet()));
    for (String k : keys) {
      Quantity min = item.getMin().get(k);
      Quantity max = item.getMax().get(k);
      Quantity def = item.getDefault().get(k);
      Quantity req = item.getDefaultRequest().get(k);
      greater(v, what, "min", min, "max", max, k);
      greater(v, what, "min", min, "default request", req, k);
      greater(v, what, "default request", req, "max", max, k);
      greater(v, what, "default request", req, "default limit", def, k);
      greater(v, what, "min", min, "default", def, k);
      greater(v, what, "default", def, "max", max, k);
    }
  }

  private static void greater(List<String> v, String what, String a, Quantity qa, String b,
      Quantity qb, String resource) {
    if (qa != null && qb != null && amount(qa).compareTo(amount(qb)) > 0) {
      v.add(what + ": " + resource + " " + a + " value " + qa + " is greater than " + b
          + " value " + qb);
    }
  }

  // --- SparkApplication ---

  @SuppressWarnings("unchecked")
  private static void sparkApplication(List<String> v, String what, GenericKubernetesResource app,
      LimitRange limitRange, ResourceQuota quota) {
    Map<String, Object> spec = (Map<String, Object>) app.getAdditionalProperties().get("spec");
    Map<String, Object> conf = (Map<String, Object>) spec.getOrDefault("sparkConf", Map.of());
    for (String key : conf.keySet()) {
      if (DENIED_SPARK_CONF.contains(key)) {
        v.add(what + ": spark-operator's webhook refuses sparkConf key " + key);
      }
    }
    Object ns = conf.get("spark.kubernetes.namespace");
    if (ns != null && !ns.equals(app.getMetadata().getNamespace())) {
      v.add(what + ": spark.kubernetes.namespace must equal the application's namespace");
    }
    Map<String, Object> driver = (Map<String, Object>) spec.get("driver");
    Map<String, Object> executor = (Map<String, Object>) spec.get("executor");
    if (spec.get("nodeSelector") != null
        && (driver.get("nodeSelector") != null || executor.get("nodeSelector") != null)) {
      v.add(what + ": node selector cannot be defined at both SparkApplication and"
          + " Driver/Executor");
    }
    if (spec.get("nodeSelector") != null) {
      nodeSelector(v, what, (Map<String, String>) spec.get("nodeSelector"));
    }
    Object ttl = spec.get("timeToLiveSeconds");
    if (ttl != null && ((Number) ttl).longValue() < 0) {
      v.add(what + ": timeToLiveSeconds must be non-negative");
    }
    boolean python = "Python".equals(spec.get("type"));
    for (Map.Entry<String, Map<String, Object>> e : Map.of("driver", driver, "executor",
        executor).entrySet()) {
      String role = e.getKey();
      Map<String, Object> pod = e.getValue();
      String podWhat = what + " " + role;
      if (spec.get("image") == null && pod.get("image") == null) {
        v.add(podWhat + ": no image (spec.image nor " + role + ".image)");
      }
      labels(v, podWhat + " label", (Map<String, String>) pod.get("labels"));
      if (pod.get("serviceAccount") != null) {
        subdomain(v, podWhat + " serviceAccount", (String) pod.get("serviceAccount"));
      }
      if (pod.get("tolerations") != null) {
        tolerations(v, podWhat, ((List<Object>) pod.get("tolerations")).stream()
            .map(t -> Serialization.jsonMapper().convertValue(t, Toleration.class)).toList());
      }
      if (pod.get("env") != null) {
        env(v, podWhat, ((List<Object>) pod.get("env")).stream()
            .map(t -> Serialization.jsonMapper().convertValue(t, EnvVar.class)).toList());
      }
      int cores = ((Number) pod.getOrDefault("cores", 1)).intValue();
      Map<String, BigDecimal> requests = new LinkedHashMap<>();
      Map<String, BigDecimal> limits = new LinkedHashMap<>();
      requests.put("cpu", pod.get("coreRequest") != null
          ? amount(new Quantity((String) pod.get("coreRequest"))) : BigDecimal.valueOf(cores));
      if (pod.get("coreLimit") != null) {
        limits.put("cpu", amount(new Quantity((String) pod.get("coreLimit"))));
      }
      BigDecimal memory = sparkMemory((String) pod.getOrDefault("memory", "1g"));
      // Spark on Kubernetes: overhead max(384MiB, factor * memory), factor 0.1 (0.4 non-JVM).
      BigDecimal overhead = memory.multiply(new BigDecimal(python ? "0.4" : "0.1"))
          .max(BigDecimal.valueOf(384L << 20));
      requests.put("memory", memory.add(overhead));
      limits.put("memory", memory.add(overhead));
      admit(v, podWhat + " pod", requests, limits, limitRange, quota);
    }
  }

  /**
   * Spark's memory notation: {@code 512m}, {@code 2g} (binary units), {@code 1024b} bytes, a bare
   * number MiB.
   */
  private static BigDecimal sparkMemory(String memory) {
    String m = memory.toLowerCase(java.util.Locale.ROOT);
    if (m.matches("[0-9]+b")) {
      return new BigDecimal(m.substring(0, m.length() - 1));
    }
    m = m.replaceAll("b$", "");
    long unit = switch (m.charAt(m.length() - 1)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      case 't' -> 1L << 40;
      default -> 0;
    };
    if (unit == 0) {
      return new BigDecimal(m).multiply(BigDecimal.valueOf(1L << 20));
    }
    return new BigDecimal(m.substring(0, m.length() - 1)).multiply(BigDecimal.valueOf(unit));
  }

  private static BigDecimal amount(Quantity q) {
    return Quantity.getAmountInBytes(q);
  }
}
