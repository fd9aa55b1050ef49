package dev.edx.provider.k8s;

import dev.edx.api.exceptions.ConfigurationException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Kubernetes name rules, as the API server applies them ({@code k8s.io/apimachinery}'s {@code
 * IsDNS1123Label}, {@code IsDNS1123Subdomain}, {@code IsDNS1035Label}, {@code IsQualifiedName},
 * {@code IsValidLabelValue}). Package-private: not public API.
 */
final class K8sNames {
  /** A DNS-1123 label: lower-case alphanumerics and '-', alphanumeric at both ends, <= 63. */
  private static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
  /** A DNS-1123 subdomain: DNS labels joined by '.', at most 253 characters in all. */
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int SUBDOMAIN_MAX = 253;
  /** A DNS-1035 label: a DNS-1123 label that starts with a letter. */
  private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  /** Room left for the random suffix and for pod-name suffixes the Job controller adds. */
  private static final int BASE_MAX = 40;
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  /** The name part of a qualified name (a label key, a toleration key). */
  private static final Pattern QUALIFIED_NAME_PART =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  /** A key of a Secret's or ConfigMap's data. */
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

  private K8sNames() {}

  static boolean isDnsLabel(String name) {
    return DNS_LABEL.matcher(name).matches();
  }

  /** Whether {@code name} is a DNS-1123 subdomain: each dot-separated part a DNS label. */
  static boolean isDnsSubdomain(String name) {
    return name.length() <= SUBDOMAIN_MAX && DNS_SUBDOMAIN.matcher(name).matches();
  }

  /** Whether {@code name} is a DNS-1035 label: a DNS label starting with a letter. */
  static boolean isDns1035Label(String name) {
    return DNS_1035.matcher(name).matches();
  }

  /** Whether {@code value} is a label value: empty, or at most 63 of {@code [-A-Za-z0-9_.]}. */
  static boolean isLabelValue(String value) {
    return LABEL_VALUE.matcher(value).matches();
  }

  /**
   * Whether {@code key} is a qualified name (a label key, a toleration key): an optional DNS
   * subdomain prefix and '/', then at most 63 of {@code [-A-Za-z0-9_.]}, alphanumeric at both
   * ends.
   */
  static boolean isQualifiedName(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || !isDnsSubdomain(prefix)) {
        return false;
      }
    }
    return QUALIFIED_NAME_PART.matcher(name).matches();
  }

  /** Whether {@code key} can be a key of a Secret's data. */
  static boolean isConfigKey(String key) {
    return CONFIG_KEY.matcher(key).matches() && !key.equals(".") && !key.equals("..")
        && !key.startsWith("..");
  }

  /** {@code name} if it is a DNS label; else {@link IllegalArgumentException} stating the rule. */
  static String dnsLabel(String name) {
    if (!isDnsLabel(name)) {
      throw new IllegalArgumentException("must be a DNS label (lower-case letters, digits and"
          + " '-', starting and ending with a letter or digit, at most 63 characters), not '"
          + name + "'");
    }
    return name;
  }

  /**
   * {@code name} if it is a Kubernetes object name (a DNS-1123 subdomain); else {@link
   * IllegalArgumentException} stating the rule.
   */
  static String objectName(String name) {
    if (!isDnsSubdomain(name)) {
      throw new IllegalArgumentException("must be a Kubernetes object name (a DNS subdomain:"
          + " lower-case letters, digits, '-' and '.', each dot-separated part starting and"
          + " ending with a letter or digit, at most 253 characters), not '" + name + "'");
    }
    return name;
  }

  /** {@code key} if it can be a key of a Secret; else {@link IllegalArgumentException}. */
  static String configKey(String key) {
    if (!isConfigKey(key)) {
      throw new IllegalArgumentException("must be a Secret key (letters, digits, '-', '_' and"
          + " '.', at most 253 characters), not '" + key + "'");
    }
    return key;
  }

  /** A Kubernetes label value: the environment's name, which labels what it owns. */
  static String requireLabelValue(String environment) {
    if (environment.isEmpty() || !isLabelValue(environment)) {
      throw new ConfigurationException("Cannot use environment name '"
          + environment + "' on Kubernetes: it labels what the environment owns, so it must be"
          + " a label value (at most 63 letters, digits, '-', '_' or '.')");
    }
    return environment;
  }

  /**
   * A job name turned into the base of its objects' names: lower-case letters, digits and '-',
   * at most {@value #BASE_MAX} characters, starting with a letter, so that the id ({@code
   * <base>-<8 hex>}) is a DNS-1035 label, as spark-operator requires of a SparkApplication's name
   * (and the {@code <name>-ui-svc} Service its controller makes): {@code FailingTask} ->
   * {@code failingtask}, {@code 2015-01-01 backfill} -> {@code job-2015-01-01-backfill}.
   */
  static String jobBase(String name) {
    String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+", "");
    if (!slug.isEmpty() && !Character.isLetter(slug.charAt(0))) {
      slug = "job-" + slug;
    }
    if (slug.length() > BASE_MAX) {
      slug = slug.substring(0, BASE_MAX);
    }
    slug = slug.replaceAll("-+$", "");
    return slug.isEmpty() ? "job" : slug;
  }
}
