package dev.edx.provider.k8s;

import java.util.Locale;
import java.util.regex.Pattern;

/** Kubernetes name rules. Package-private: not public API. */
final class K8sNames {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  /** Room left for the random suffix and for pod-name suffixes the Job controller adds. */
  private static final int BASE_MAX = 40;
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  private K8sNames() {}

  static boolean isDnsLabel(String name) {
    return DNS_LABEL.matcher(name).matches();
  }

  static boolean isDnsSubdomain(String name) {
    return DNS_SUBDOMAIN.matcher(name).matches();
  }

  /** {@code name} if it is a DNS label; else {@link IllegalArgumentException} stating the rule. */
  static String dnsLabel(String name) {
    if (!isDnsLabel(name)) {
      throw new IllegalArgumentException("must be a DNS label (lower-case letters, digits and"
          + " '-', at most 63 characters), not '" + name + "'");
    }
    return name;
  }

  /**
   * {@code name} if it is a Kubernetes object name (a DNS subdomain); else {@link
   * IllegalArgumentException} stating the rule.
   */
  static String objectName(String name) {
    if (!isDnsSubdomain(name)) {
      throw new IllegalArgumentException("must be a Kubernetes object name (lower-case letters,"
          + " digits, '-' and '.'), not '" + name + "'");
    }
    return name;
  }

  /** A job name turned into the base of a DNS label: {@code FailingTask} -> {@code failingtask}. */
  /** A Kubernetes label value: the environment's name, which labels what it owns. */
  static String requireLabelValue(String environment) {
    if (environment.isEmpty() || !LABEL_VALUE.matcher(environment).matches()) {
      throw new dev.edx.api.exceptions.ConfigurationException("Cannot use environment name '"
          + environment + "' on Kubernetes: it labels what the environment owns, so it must be"
          + " a label value (at most 63 letters, digits, '-', '_' or '.')");
    }
    return environment;
  }

  static String jobBase(String name) {
    String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+", "");
    if (slug.length() > BASE_MAX) {
      slug = slug.substring(0, BASE_MAX);
    }
    slug = slug.replaceAll("-+$", "");
    return slug.isEmpty() ? "job" : slug;
  }
}
