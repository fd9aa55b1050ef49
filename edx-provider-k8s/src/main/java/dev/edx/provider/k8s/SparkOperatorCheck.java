package dev.edx.provider.k8s;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a cluster must have for edx's SparkJobs, checked through the API: the SparkApplication CRD
 * ({@code sparkapplications.sparkoperator.k8s.io}, serving {@code v1beta2}), a spark-operator
 * controller that watches the namespace, and its webhook watching it too (it applies the S3A
 * credentials and tolerations edx sets on drivers and executors, and refuses invalid
 * SparkApplications). A spark-operator deployment is one with a container whose image or name
 * contains {@code spark-operator}; which namespaces it watches comes from its arguments: v2's
 * {@code controller start} / {@code webhook start} with {@code --namespaces=a,b} (the Helm value
 * {@code spark.jobNamespaces}; none or {@code ""} is every namespace) and {@code
 * --namespace-selector}, or v1's {@code -namespace=} with {@code -enable-webhook=true}.
 */
public final class SparkOperatorCheck {
  static final String CRD = "sparkapplications.sparkoperator.k8s.io";

  /**
   * What was found and what is missing, each a sentence for a person.
   *
   * @param found what is in place
   * @param missing what is missing or could not be checked, with the fix
   */
  public record Report(List<String> found, List<String> missing) {
    public Report {
      found = List.copyOf(requireNonNull(found, "found is null"));
      missing = List.copyOf(requireNonNull(missing, "missing is null"));
    }

    /** Whether nothing is missing. */
    public boolean ok() {
      return missing.isEmpty();
    }
  }

  /** One spark-operator process: its deployment, role and the namespaces it watches. */
  private record Operator(String deployment, boolean controller, boolean webhook,
      boolean watchesAll, List<String> namespaces, Optional<String> selector) {
    String scope() {
      if (watchesAll) {
        return "every namespace";
      }
      String listed = namespaces.isEmpty() ? "" : "namespaces " + String.join(",", namespaces);
      String selected = selector.map(s -> "namespaces labelled " + s).orElse("");
      return listed + (listed.isEmpty() || selected.isEmpty() ? "" : " and ") + selected;
    }
  }

  private final KubernetesClient client;
  private final String namespace;

  SparkOperatorCheck(KubernetesClient client, String namespace) {
    this.client = requireNonNull(client, "client is null");
    this.namespace = requireNonNull(namespace, "namespace is null");
  }

  Report run() {
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    crd(found, missing);
    operators(found, missing);
    return new Report(found, missing);
  }

  private void crd(List<String> found, List<String> missing) {
    CustomResourceDefinition crd;
    try {
      crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
    } catch (KubernetesClientException e) {
      missing.add("cannot read CustomResourceDefinition " + CRD + " (HTTP " + e.getCode()
          + "): check by hand that spark-operator's CRDs are installed");
      return;
    }
    if (crd == null) {
      missing.add("the SparkApplication CRD (" + CRD + ") is not installed: install"
          + " spark-operator (its Helm chart installs its CRDs)");
      return;
    }
    List<String> served = crd.getSpec().getVersions().stream()
        .filter(v -> Boolean.TRUE.equals(v.getServed()))
        .map(CustomResourceDefinitionVersion::getName).toList();
    if (!served.contains("v1beta2")) {
      missing.add("the SparkApplication CRD serves " + served + ", not v1beta2, which edx"
          + " creates: upgrade spark-operator");
    } else {
      found.add("SparkApplication CRD installed (v1beta2 served)");
    }
  }

  private void operators(List<String> found, List<String> missing) {
    List<Deployment> deployments;
    try {
      deployments = client.apps().deployments().inAnyNamespace().list().getItems();
    } catch (KubernetesClientException e) {
      missing.add("cannot list Deployments in all namespaces (HTTP " + e.getCode() + "):"
          + " check by hand that a spark-operator controller and webhook watch namespace "
          + namespace);
      return;
    }
    List<Operator> operators = new ArrayList<>();
    for (Deployment d : deployments) {
      String name = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
      for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
        if (contains(c.getImage()) || contains(c.getName())) {
          operators.add(operator(name, c.getArgs() == null ? List.of() : c.getArgs()));
        }
      }
    }
    if (operators.isEmpty()) {
      missing.add("no spark-operator Deployment found (a container whose image or name"
          + " contains 'spark-operator'): install spark-operator with namespace " + namespace
          + " in its Helm value spark.jobNamespaces");
      return;
    }
    role(found, missing, operators.stream().filter(Operator::controller).toList(),
        "controller", "SparkApplications in it are never run; edx reports them FAILED only"
            + " after startDeadline");
    role(found, missing, operators.stream().filter(Operator::webhook).toList(), "webhook",
        "the S3A credentials (secretKeyRef env) and tolerations edx sets on drivers and"
            + " executors are silently not applied; enable webhook.enable");
  }

  private void role(List<String> found, List<String> missing, List<Operator> operators,
      String role, String consequence) {
    for (Operator o : operators) {
      if (watches(o)) {
        found.add("spark-operator " + role + " " + o.deployment() + " watches namespace "
            + namespace + " (" + o.scope() + ")");
        return;
      }
    }
    if (operators.isEmpty()) {
      missing.add("no spark-operator " + role + " found: " + consequence);
    } else {
      missing.add("no spark-operator " + role + " watches namespace " + namespace + " ("
          + String.join("; ", operators.stream().map(o -> o.deployment() + " watches "
              + o.scope()).toList()) + "): add " + namespace + " to the Helm value"
          + " spark.jobNamespaces (its --namespaces argument); until then " + consequence);
    }
  }

  private boolean watches(Operator o) {
    if (o.watchesAll() || o.namespaces().contains(namespace)) {
      return true;
    }
    if (o.selector().isEmpty()) {
      return false;
    }
    try {
      return client.namespaces().list(new ListOptionsBuilder()
              .withLabelSelector(o.selector().get()).build()).getItems().stream()
          .anyMatch(n -> namespace.equals(n.getMetadata().getName()));
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  private static boolean contains(String text) {
    return text != null && text.contains("spark-operator");
  }

  /** The role and namespaces of a spark-operator container, from its arguments. */
  private static Operator operator(String deployment, List<String> args) {
    boolean v2 = !args.isEmpty() && (args.get(0).equals("controller")
        || args.get(0).equals("webhook"));
    Optional<String> namespaces = v2 ? flag(args, "namespaces") : flag(args, "namespace");
    Optional<String> selector = flag(args, "namespace-selector").filter(s -> !s.isBlank());
    List<String> list = namespaces.map(n -> Arrays.stream(n.split(","))
        .map(s -> s.trim().replace("\"", "")).toList()).orElse(List.of());
    boolean all = list.contains("") || (list.isEmpty() && selector.isEmpty());
    list = list.stream().filter(n -> !n.isEmpty()).toList();
    if (v2) {
      boolean controller = args.get(0).equals("controller");
      return new Operator(deployment, controller, !controller, all, list, selector);
    }
    boolean webhook = flag(args, "enable-webhook").map(v -> v.isEmpty() || v.equals("true"))
        .orElse(false);
    return new Operator(deployment, true, webhook, all, list, Optional.empty());
  }

  /** The value of {@code -name=v}, {@code --name=v} or {@code --name v}; "" for a bare flag. */
  private static Optional<String> flag(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      for (String prefix : List.of("--" + name, "-" + name)) {
        if (a.startsWith(prefix + "=")) {
          return Optional.of(a.substring(prefix.length() + 1));
        }
        if (a.equals(prefix)) {
          return Optional.of(i + 1 < args.size() && !args.get(i + 1).startsWith("-")
              ? args.get(i + 1) : "");
        }
      }
    }
    return Optional.empty();
  }
}
