package dev.edx.provider.k8s;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource rules a real API server applies and fabric8's mock does not: a LimitRange's values
 * must be ordered ({@code min <= defaultRequest <= default <= max}, after the server fills {@code
 * default} from {@code max} and {@code defaultRequest} from {@code default} or {@code min}); a
 * container's request must not exceed its limit and must lie within the LimitRange; a ResourceQuota
 * must leave room for one pod. Package-private: not public API.
 */
final class K8sResourceRules {
  static final List<String> RESOURCES = List.of("cpu", "memory");

  /** One value of the LimitRange: its amount and the {@code limits} key it comes from. */
  record Value(BigDecimal amount, String text, String key) {}

  private K8sResourceRules() {}

  static BigDecimal amount(String quantity) {
    return Quantity.getAmountInBytes(new Quantity(quantity));
  }

  private static String suffix(String resource) {
    return resource.equals("cpu") ? "Cpu" : "Memory";
  }

  /**
   * The LimitRange item the API server stores for {@code limits} (spec keys of {@link
   * K8sComputeProperties#LIMIT_FIELDS}): field ({@code min}, {@code max}, {@code default},
   * {@code defaultRequest}) to resource to value, with the defaults it fills in: {@code default}
   * from {@code max}, then {@code defaultRequest} from {@code default}, then from {@code min}.
   */
  static Map<String, Map<String, Value>> limitRange(Map<String, String> limits) {
    Map<String, Map<String, Value>> item = new LinkedHashMap<>();
    for (String field : List.of("min", "max", "default", "defaultRequest")) {
      item.put(field, new LinkedHashMap<>());
    }
    for (String resource : RESOURCES) {
      for (String field : item.keySet()) {
        String key = field + suffix(resource);
        String value = limits.get(key);
        if (value != null) {
          item.get(field).put(resource, new Value(amount(value), value, key));
        }
      }
      Map<String, Value> max = item.get("max");
      Map<String, Value> def = item.get("default");
      Map<String, Value> request = item.get("defaultRequest");
      if (!def.containsKey(resource) && max.containsKey(resource)) {
        def.put(resource, max.get(resource));
      }
      if (!request.containsKey(resource) && def.containsKey(resource)) {
        request.put(resource, def.get(resource));
      } else if (!request.containsKey(resource) && item.get("min").containsKey(resource)) {
        request.put(resource, item.get("min").get(resource));
      }
    }
    return item;
  }

  /** What the API server requires of a LimitRange's values, for messages. */
  static final String LIMIT_RANGE_RULE = "the API server refuses a LimitRange unless"
      + " min <= defaultRequest <= default <= max";

  /** A problem with a LimitRange: the {@code limits} key at fault and the rule it breaks. */
  record Problem(String key, String rule) {}

  /**
   * What the API server refuses in the LimitRange of {@code limits}, by the rules of its {@code
   * ValidateLimitRange}: each problem names the key and the rule; empty when it is valid.
   */
  static List<Problem> limitRangeProblems(Map<String, String> limits) {
    Map<String, Map<String, Value>> item = limitRange(limits);
    List<Problem> problems = new ArrayList<>();
    for (String resource : RESOURCES) {
      Value min = item.get("min").get(resource);
      Value max = item.get("max").get(resource);
      Value def = item.get("default").get(resource);
      Value request = item.get("defaultRequest").get(resource);
      greater(problems, resource, min, "min", max, "max");
      greater(problems, resource, min, "min", request, "defaultRequest");
      greater(problems, resource, request, "defaultRequest", max, "max");
      greater(problems, resource, request, "defaultRequest", def, "default");
      greater(problems, resource, min, "min", def, "default");
      greater(problems, resource, def, "default", max, "max");
    }
    return problems.stream().distinct().toList();
  }

  /**
   * Adds a problem when {@code low} (the LimitRange field {@code lowField}) is greater than
   * {@code high}; it names the key of {@code low}, and says where an implied value comes from.
   */
  private static void greater(List<Problem> problems, String resource, Value low,
      String lowField, Value high, String highField) {
    if (low == null || high == null || low.amount().compareTo(high.amount()) <= 0) {
      return;
    }
    problems.add(new Problem(low.key(), describe(resource, low, lowField)
        + " is greater than " + describe(resource, high, highField)));
  }

  private static String describe(String resource, Value value, String field) {
    String key = field + suffix(resource);
    return key + " " + value.text() + (value.key().equals(key) ? ""
        : " (which defaults to " + value.key() + ")");
  }

  /**
   * What keeps a container with these requests and limits (resource to amount) from being
   * admitted into a namespace with the LimitRange of {@code limits} and the ResourceQuota of
   * {@code quota}: a request above its limit, a value outside the LimitRange's min and max, a
   * quota too small for the one container. Each problem names the spec key at fault; empty when
   * the container is admitted.
   *
   * @param what what the container is, for the messages ({@code "the Spark executor"})
   */
  static List<String> containerProblems(String what, Map<String, BigDecimal> requests,
      Map<String, BigDecimal> limitsOf, Map<String, String> limits, Map<String, String> quota) {
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, Value>> range = limitRange(limits);
    for (String resource : RESOURCES) {
      BigDecimal request = requests.get(resource);
      BigDecimal limit = limitsOf.get(resource);
      if (request != null && limit != null && request.compareTo(limit) > 0) {
        problems.add(what + " requests " + plain(request, resource) + " " + resource
            + ", more than its limit " + plain(limit, resource));
      }
      Value min = range.get("min").get(resource);
      if (min != null && request != null && request.compareTo(min.amount()) < 0) {
        problems.add(what + " requests " + plain(request, resource) + " " + resource
            + ", less than spec.compute.limits." + min.key() + " (" + min.text() + ")");
      }
      Value max = range.get("max").get(resource);
      if (max != null && limit != null && limit.compareTo(max.amount()) > 0) {
        problems.add(what + " is limited to " + plain(limit, resource) + " " + resource
            + ", more than spec.compute.limits." + max.key() + " (" + max.text() + ")");
      }
      String capitalized = suffix(resource);
      quotaProblem(problems, what, quota, resource.equals("cpu") ? "cpu" : "memory", request,
          resource, "requests");
      quotaProblem(problems, what, quota, "limits" + capitalized, limit, resource, "limits");
    }
    return problems;
  }

  private static void quotaProblem(List<String> problems, String what, Map<String, String> quota,
      String key, BigDecimal value, String resource, String kind) {
    String hard = quota.get(key);
    if (hard != null && value != null && value.compareTo(amount(hard)) > 0) {
      problems.add(what + " " + (kind.equals("requests") ? "requests " : "is limited to ")
          + plain(value, resource) + " " + resource + ", more than the whole namespace's"
          + " spec.compute.quota." + key + " (" + hard + ")");
    }
  }

  /** An amount as a quantity a reader knows: cores as a number, memory in Mi. */
  static String plain(BigDecimal amount, String resource) {
    if (resource.equals("cpu")) {
      return amount.stripTrailingZeros().toPlainString();
    }
    BigDecimal mib = amount.divide(BigDecimal.valueOf(1024L * 1024L), 0,
        java.math.RoundingMode.CEILING);
    return mib + "Mi";
  }

  /** The amount of a memory string in Spark's or Kubernetes' notation ({@code 2g}, {@code 2Gi}). */
  static BigDecimal memory(String memory) {
    return amount(K8sManifests.kubernetesMemory(memory));
  }

  /**
   * The memory of a Spark driver or executor pod: its memory plus Spark's overhead, {@code
   * spark.<role>.memoryOverhead} if the conf sets it (MiB unless a unit is given), else {@code
   * max(384Mi, factor * memory)} with the factor of {@code spark.<role>.memoryOverheadFactor} or
   * {@code spark.kubernetes.memoryOverheadFactor}, default 0.1 for JVM applications and 0.4 for
   * Python ones (Spark's own rule on Kubernetes).
   */
  static BigDecimal sparkPodMemory(String role, String memory, Map<String, String> conf,
      boolean python) {
    BigDecimal base = memory(memory);
    Optional<String> overhead = Optional.ofNullable(conf.get("spark." + role + ".memoryOverhead"));
    if (overhead.isPresent()) {
      String o = overhead.get().trim();
      return base.add(memory(o.matches("[0-9]+") ? o + "m" : o));
    }
    String factor = conf.getOrDefault("spark." + role + ".memoryOverheadFactor",
        conf.getOrDefault("spark.kubernetes.memoryOverheadFactor", python ? "0.4" : "0.1"));
    BigDecimal computed;
    try {
      computed = base.multiply(new BigDecimal(factor.trim()));
    } catch (NumberFormatException e) {
      computed = base.multiply(new BigDecimal(python ? "0.4" : "0.1"));
    }
    BigDecimal floor = BigDecimal.valueOf(384L * 1024 * 1024);
    return base.add(computed.max(floor));
  }
}
