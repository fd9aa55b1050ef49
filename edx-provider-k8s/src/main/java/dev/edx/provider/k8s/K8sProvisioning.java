package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sProperties.ENVIRONMENT_LABEL;
import static dev.edx.provider.k8s.K8sProperties.JOB_ID_LABEL;
import static dev.edx.provider.k8s.K8sProperties.LIMIT_RANGE_NAME;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY_VALUE;
import static dev.edx.provider.k8s.K8sProperties.QUOTA_NAME;
import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisioning of the {@code k8s} compute: the namespace, its ResourceQuota and LimitRange when
 * the spec declares {@code quota} and {@code limits}, the runner's and the Spark driver's service
 * accounts, one least-privilege Role each (namespaced, never a ClusterRole) and their
 * RoleBindings. Package-private: not public API.
 *
 * <p>Ownership: what edx creates carries {@code app.kubernetes.io/managed-by=edx} and {@code
 * edx.dev/environment=<environment name>}. An object labelled for another environment is never
 * changed or deleted, even with {@code adopt}. An object without both labels (created by hand, or
 * by an edx that did not label environments yet) is left alone unless {@code adopt: true}, which
 * labels it as this environment's.
 *
 * <p>Why not {@link dev.edx.api.spi.OwnedResourceProvisioner}: it reconciles a list of
 * same-kind, named resources whose content edx does not manage (exists or not, owned or not,
 * empty or not). Here the resources are a fixed set of six kinds derived from the settings,
 * whose content is desired state too (a Role's rules, a RoleBinding's subjects and immutable
 * roleRef, which is replaced by delete and create), created in dependency order and destroyed in
 * reverse, with data retention decided for the namespace as a whole (its PVCs, Secrets and
 * ConfigMaps) rather than per object. The ownership rules are the same.
 */
final class K8sProvisioning {
  private static final Logger LOG = LoggerFactory.getLogger(K8sProvisioning.class);
  static final String RUNNER_ROLE = "edx-runner";
  static final String SPARK_ROLE = "edx-spark-driver";
  private static final String SERVICE = "compute";
  private static final String RBAC = "rbac.authorization.k8s.io";

  private final KubernetesClient client;
  private final K8sComputeSettings settings;
  private final String environment;
  private final Supplier<SortedSet<String>> driverSecrets;

  /**
   * @param environment the environment's name, which labels what it owns
   * @param driverSecrets the Secrets of the namespace a Spark driver reads when it opens the
   *     environment (the spec's {@code ${secret:}} references), asked for at each plan
   */
  K8sProvisioning(KubernetesClient client, K8sComputeSettings settings, String environment,
      Supplier<SortedSet<String>> driverSecrets) {
    this.client = requireNonNull(client, "client is null");
    this.driverSecrets = requireNonNull(driverSecrets, "driverSecrets is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.environment = K8sNames.requireLabelValue(requireNonNull(environment,
        "environment is null"));
  }

  /** The labels of what this environment owns. */
  Map<String, String> ownerLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(ENVIRONMENT_LABEL, environment);
    return labels;
  }

  /**
   * The runner's rules: read Secrets (the {@code k8s} secrets provider and {@code ${secret:}}
   * references) and ConfigMaps. Nothing else: a task that submits further jobs from inside the
   * pod needs a Role of its own.
   */
  static List<PolicyRule> runnerRules() {
    return List.of(rule("", List.of("secrets", "configmaps"), List.of("get", "list")));
  }

  /**
   * What a Spark driver needs in cluster mode: executor pods, their services, ConfigMaps and
   * PVCs, in its namespace; and {@code get} on the Secrets it reads when it opens the environment
   * ({@code secrets}), by name only. No Secrets rule at all when there are none: a rule with no
   * {@code resourceNames} would allow every Secret of the namespace.
   */
  static List<PolicyRule> sparkDriverRules(SortedSet<String> secrets) {
    List<String> manage = List.of("create", "get", "list", "watch", "update", "patch", "delete",
        "deletecollection");
    List<PolicyRule> rules = new ArrayList<>(List.of(
        rule("", List.of("pods", "services", "configmaps", "persistentvolumeclaims"), manage),
        rule("", List.of("pods/log"), List.of("get"))));
    if (!secrets.isEmpty()) {
      rules.add(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
          .withResourceNames(List.copyOf(secrets)).withVerbs("get").build());
    }
    return List.copyOf(rules);
  }

  private static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resources)
        .withVerbs(verbs).build();
  }

  /** The desired objects, in creation order. */
  List<HasMetadata> desired() {
    String ns = settings.namespace();
    Map<String, String> labels = ownerLabels();
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(new NamespaceBuilder().withNewMetadata().withName(ns).withLabels(labels)
        .endMetadata().build());
    if (!settings.quota().isEmpty()) {
      objects.add(quota(labels));
    }
    if (!settings.limits().isEmpty()) {
      objects.add(limitRange(labels));
    }
    List<String> accounts = settings.serviceAccount().equals(settings.sparkServiceAccount())
        ? List.of(settings.serviceAccount())
        : List.of(settings.serviceAccount(), settings.sparkServiceAccount());
    for (String account : accounts) {
      objects.add(new ServiceAccountBuilder().withNewMetadata().withName(account).withNamespace(ns)
          .withLabels(labels).endMetadata().build());
    }
    objects.add(role(RUNNER_ROLE, runnerRules(), labels));
    objects.add(role(SPARK_ROLE, sparkDriverRules(driverSecrets.get()), labels));
    objects.add(binding(RUNNER_ROLE, settings.serviceAccount(), labels));
    objects.add(binding(SPARK_ROLE, settings.sparkServiceAccount(), labels));
    return objects;
  }

  /** The ResourceQuota of {@code quota}: {@code spec.hard} in the order of the fields. */
  private ResourceQuota quota(Map<String, String> labels) {
    Map<String, Quantity> hard = new LinkedHashMap<>();
    K8sComputeProperties.QUOTA_FIELDS.forEach((key, field) -> {
      String value = settings.quota().get(key);
      if (value != null) {
        hard.put(field, new Quantity(value));
      }
    });
    return new ResourceQuotaBuilder().withNewMetadata().withName(QUOTA_NAME)
        .withNamespace(settings.namespace()).withLabels(labels).endMetadata()
        .withNewSpec().withHard(hard).endSpec().build();
  }

  /** The LimitRange of {@code limits}: one {@code Container} item. */
  private LimitRange limitRange(Map<String, String> labels) {
    Map<String, Map<String, Quantity>> fields = new LinkedHashMap<>();
    K8sComputeProperties.LIMIT_FIELDS.forEach((key, path) -> {
      String value = settings.limits().get(key);
      if (value != null) {
        String[] p = path.split("/");
        fields.computeIfAbsent(p[0], f -> new LinkedHashMap<>()).put(p[1], new Quantity(value));
      }
    });
    LimitRangeItemBuilder item = new LimitRangeItemBuilder().withType("Container");
    item.withDefault(fields.get("default")).withDefaultRequest(fields.get("defaultRequest"))
        .withMin(fields.get("min")).withMax(fields.get("max"));
    return new LimitRangeBuilder().withNewMetadata().withName(LIMIT_RANGE_NAME)
        .withNamespace(settings.namespace()).withLabels(labels).endMetadata()
        .withNewSpec().withLimits(item.build()).endSpec().build();
  }

  /**
   * The optional objects the spec does not declare (no {@code quota}, no {@code limits}): if this
   * environment made them earlier, plan and apply delete them.
   */
  private List<HasMetadata> undeclared() {
    List<HasMetadata> objects = new ArrayList<>();
    if (settings.quota().isEmpty()) {
      objects.add(new ResourceQuotaBuilder().withNewMetadata().withName(QUOTA_NAME)
          .withNamespace(settings.namespace()).endMetadata().build());
    }
    if (settings.limits().isEmpty()) {
      objects.add(new LimitRangeBuilder().withNewMetadata().withName(LIMIT_RANGE_NAME)
          .withNamespace(settings.namespace()).endMetadata().build());
    }
    return objects;
  }

  /** The undeclared objects this environment owns, with the change that deletes each. */
  private Map<HasMetadata, Change> undeclaredOwned() {
    Map<HasMetadata, Change> owned = new LinkedHashMap<>();
    for (HasMetadata u : undeclared()) {
      HasMetadata existing = get(u);
      if (existing != null && owned(existing)) {
        owned.put(existing, new Change(SERVICE, describe(u), Action.DELETE,
            "no longer in the spec"));
      }
    }
    return owned;
  }

  private Role role(String name, List<PolicyRule> rules, Map<String, String> labels) {
    return new RoleBuilder().withNewMetadata().withName(name).withNamespace(settings.namespace())
        .withLabels(labels).endMetadata().withRules(rules).build();
  }

  private RoleBinding binding(String role, String account, Map<String, String> labels) {
    return new RoleBindingBuilder().withNewMetadata().withName(role)
        .withNamespace(settings.namespace()).withLabels(labels).endMetadata()
        .withNewRoleRef().withApiGroup(RBAC).withKind("Role").withName(role).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(account)
        .withNamespace(settings.namespace()).endSubject()
        .build();
  }

  List<Change> plan() {
    try {
      List<Change> changes = new ArrayList<>();
      for (HasMetadata d : desired()) {
        changes.add(planOne(d, get(d)));
      }
      changes.addAll(undeclaredOwned().values());
      return List.copyOf(changes);
    } catch (KubernetesClientException e) {
      throw translate("plan", e);
    }
  }

  private Change planOne(HasMetadata desired, HasMetadata existing) {
    String resource = describe(desired);
    if (existing == null) {
      return new Change(SERVICE, resource, Action.CREATE, "");
    }
    List<String> diff = differences(desired, existing);
    String otherOwner = otherEnvironment(existing);
    if (otherOwner != null) {
      return new Change(SERVICE, resource, Action.NONE,
          "exists, owned by environment '" + otherOwner + "': left alone");
    }
    if (!owned(existing)) {
      if (!settings.adopt()) {
        return new Change(SERVICE, resource, Action.NONE, "exists, not managed by edx for"
            + " environment '" + environment + "': left as is (set adopt: true to manage it)");
      }
      return new Change(SERVICE, resource, Action.UPDATE, "adopt: " + String.join(", ", diff));
    }
    return diff.isEmpty() ? new Change(SERVICE, resource, Action.NONE, "")
        : new Change(SERVICE, resource, Action.UPDATE, String.join(", ", diff));
  }

  List<Change> apply() {
    try {
      List<Change> changes = new ArrayList<>();
      for (HasMetadata d : desired()) {
        HasMetadata existing = get(d);
        Change change = planOne(d, existing);
        switch (change.action()) {
          case CREATE -> resource(d).create();
          case UPDATE -> update(d, existing);
          default -> { }
        }
        if (change.action() != Action.NONE) {
          LOG.info("Provisioning: {}", change);
        }
        changes.add(change);
      }
      for (Map.Entry<HasMetadata, Change> e : undeclaredOwned().entrySet()) {
        resource(e.getKey()).delete();
        LOG.info("Provisioning: {}", e.getValue());
        changes.add(e.getValue());
      }
      return List.copyOf(changes);
    } catch (KubernetesClientException e) {
      throw translate("apply", e);
    }
  }

  private void update(HasMetadata desired, HasMetadata existing) {
    if (desired instanceof RoleBinding b && existing instanceof RoleBinding e
        && !Objects.equals(b.getRoleRef(), e.getRoleRef())) {
      // roleRef is immutable: replace the binding.
      resource(existing).delete();
      resource(desired).create();
      return;
    }
    resource(existing).edit(current -> {
      Map<String, String> labels = new LinkedHashMap<>();
      if (current.getMetadata().getLabels() != null) {
        labels.putAll(current.getMetadata().getLabels());
      }
      labels.putAll(ownerLabels());
      current.getMetadata().setLabels(labels);
      if (current instanceof Role r) {
        r.setRules(((Role) desired).getRules());
      } else if (current instanceof RoleBinding r) {
        r.setSubjects(((RoleBinding) desired).getSubjects());
      } else if (current instanceof ResourceQuota q) {
        q.setSpec(((ResourceQuota) desired).getSpec());
      } else if (current instanceof LimitRange l) {
        l.setSpec(((LimitRange) desired).getSpec());
      }
      return current;
    });
  }

  List<Change> destroy(DataPolicy policy) {
    return teardown(policy, true);
  }

  /** The changes {@link #destroy} would make, without making them. */
  List<Change> planDestroy(DataPolicy policy) {
    return teardown(policy, false);
  }

  private List<Change> teardown(DataPolicy policy, boolean execute) {
    requireNonNull(policy, "policy is null");
    try {
      List<HasMetadata> objects = new ArrayList<>(desired());
      objects.addAll(1, undeclaredOwned().keySet());
      java.util.Collections.reverse(objects);
      List<Change> changes = new ArrayList<>();
      for (HasMetadata d : objects) {
        String resource = describe(d);
        HasMetadata existing = get(d);
        if (existing == null) {
          changes.add(new Change(SERVICE, resource, Action.NONE, "absent"));
        } else if (otherEnvironment(existing) != null) {
          changes.add(new Change(SERVICE, resource, Action.NONE, "owned by environment '"
              + otherEnvironment(existing) + "': left alone"));
        } else if (!owned(existing)) {
          changes.add(new Change(SERVICE, resource, Action.NONE,
              "not managed by edx for environment '" + environment + "': left alone"));
        } else if (d instanceof Namespace && policy == DataPolicy.RETAIN
            && !dataIn(d.getMetadata().getName()).isEmpty()) {
          changes.add(new Change(SERVICE, resource, Action.RETAIN,
              "holds " + String.join(", ", dataIn(d.getMetadata().getName()))
                  + "; destroy with PURGE to delete it"));
        } else {
          if (execute) {
            resource(existing).delete();
          }
          changes.add(new Change(SERVICE, resource, Action.DELETE,
              d instanceof Namespace ? "with everything in it" : ""));
        }
      }
      if (execute) {
        changes.forEach(c -> LOG.info("Destroy: {}", c));
      }
      return List.copyOf(changes);
    } catch (KubernetesClientException e) {
      throw translate(execute ? "destroy" : "plan destroy", e);
    }
  }

  /** What holds data in the namespace: PVCs, Secrets (not token secrets), ConfigMaps. */
  private List<String> dataIn(String namespace) {
    List<String> data = new ArrayList<>();
    int pvcs = client.persistentVolumeClaims().inNamespace(namespace).list().getItems().size();
    long secrets = client.secrets().inNamespace(namespace).list().getItems().stream()
        .filter(s -> !"kubernetes.io/service-account-token".equals(s.getType())).count();
    long configMaps = client.configMaps().inNamespace(namespace).list().getItems().stream()
        .filter(c -> !"kube-root-ca.crt".equals(c.getMetadata().getName()))
        .filter(c -> c.getMetadata().getLabels() == null
            || !c.getMetadata().getLabels().containsKey(JOB_ID_LABEL))
        .count();
    if (pvcs > 0) {
      data.add(pvcs + " persistentvolumeclaims");
    }
    if (secrets > 0) {
      data.add(secrets + " secrets");
    }
    if (configMaps > 0) {
      data.add(configMaps + " configmaps");
    }
    return data;
  }

  private List<String> differences(HasMetadata desired, HasMetadata existing) {
    List<String> diff = new ArrayList<>();
    Map<String, String> labels = existing.getMetadata().getLabels();
    if (labels == null || !MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY))) {
      diff.add("label " + MANAGED_BY + " missing");
    }
    if (labels == null || !environment.equals(labels.get(ENVIRONMENT_LABEL))) {
      diff.add("label " + ENVIRONMENT_LABEL + " missing");
    }
    if (desired instanceof Role d && existing instanceof Role e
        && !normalize(d.getRules()).equals(normalize(e.getRules()))) {
      diff.add("rules differ");
    }
    if (desired instanceof ResourceQuota d && existing instanceof ResourceQuota e
        && !Objects.equals(d.getSpec().getHard(),
            e.getSpec() == null ? null : e.getSpec().getHard())) {
      diff.add("hard limits differ");
    }
    if (desired instanceof LimitRange d && existing instanceof LimitRange e
        && !limitsMatch(d, e)) {
      diff.add("limits differ");
    }
    if (desired instanceof RoleBinding d && existing instanceof RoleBinding e) {
      if (!Objects.equals(d.getRoleRef(), e.getRoleRef())) {
        diff.add("roleRef differs");
      }
      if (!Objects.equals(d.getSubjects(), e.getSubjects())) {
        diff.add("subjects differ");
      }
    }
    return diff;
  }

  /**
   * Whether the existing LimitRange has one Container item with the declared values. Fields the
   * spec leaves out are not compared: the API server fills {@code default} and {@code
   * defaultRequest} from {@code max} and {@code default} when they are missing.
   */
  private static boolean limitsMatch(LimitRange desired, LimitRange existing) {
    if (existing.getSpec() == null || existing.getSpec().getLimits() == null
        || existing.getSpec().getLimits().size() != 1) {
      return false;
    }
    LimitRangeItem d = desired.getSpec().getLimits().get(0);
    LimitRangeItem e = existing.getSpec().getLimits().get(0);
    return "Container".equals(e.getType())
        && declared(d.getDefault(), e.getDefault())
        && declared(d.getDefaultRequest(), e.getDefaultRequest())
        && declared(d.getMin(), e.getMin()) && declared(d.getMax(), e.getMax());
  }

  private static boolean declared(Map<String, Quantity> desired, Map<String, Quantity> existing) {
    if (desired == null) {
      return true;
    }
    return existing != null && desired.entrySet().stream()
        .allMatch(en -> en.getValue().equals(existing.get(en.getKey())));
  }

  private static List<List<List<String>>> normalize(List<PolicyRule> rules) {
    List<List<List<String>>> result = new ArrayList<>();
    if (rules != null) {
      for (PolicyRule r : rules) {
        result.add(List.of(list(r.getApiGroups()), list(r.getResources()), list(r.getVerbs()),
            list(r.getResourceNames()), list(r.getNonResourceURLs())));
      }
    }
    return result;
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  /** Whether the object carries both of this environment's labels. */
  private boolean owned(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels != null && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY))
        && environment.equals(labels.get(ENVIRONMENT_LABEL));
  }

  /** The other environment an edx-managed object is labelled for, or null. */
  private String otherEnvironment(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels == null || !MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY))) {
      return null;
    }
    String owner = labels.get(ENVIRONMENT_LABEL);
    return owner != null && !owner.equals(environment) ? owner : null;
  }

  private HasMetadata get(HasMetadata desired) {
    return resource(desired).get();
  }

  @SuppressWarnings("unchecked")
  private Resource<HasMetadata> resource(HasMetadata object) {
    if (object instanceof Namespace n) {
      return (Resource<HasMetadata>) (Resource<?>) client.namespaces().resource(n);
    }
    if (object instanceof ServiceAccount s) {
      return (Resource<HasMetadata>) (Resource<?>) client.serviceAccounts()
          .inNamespace(settings.namespace()).resource(s);
    }
    if (object instanceof Role r) {
      return (Resource<HasMetadata>) (Resource<?>) client.rbac().roles()
          .inNamespace(settings.namespace()).resource(r);
    }
    if (object instanceof RoleBinding b) {
      return (Resource<HasMetadata>) (Resource<?>) client.rbac().roleBindings()
          .inNamespace(settings.namespace()).resource(b);
    }
    if (object instanceof ResourceQuota q) {
      return (Resource<HasMetadata>) (Resource<?>) client.resourceQuotas()
          .inNamespace(settings.namespace()).resource(q);
    }
    if (object instanceof LimitRange l) {
      return (Resource<HasMetadata>) (Resource<?>) client.limitRanges()
          .inNamespace(settings.namespace()).resource(l);
    }
    throw new IllegalArgumentException("unexpected object " + object.getKind());
  }

  private static String describe(HasMetadata object) {
    return object.getKind().toLowerCase(java.util.Locale.ROOT) + " "
        + object.getMetadata().getName();
  }

  private RuntimeException translate(String what, KubernetesClientException e) {
    String message = "Cannot " + what + " the namespace " + settings.namespace()
        + " and its RBAC, quota and limit objects at " + client.getMasterUrl() + ": "
        + e.getMessage();
    if (e.getCode() == 401 || e.getCode() == 403) {
      return new AccessDeniedException(message, e);
    }
    return new ProviderException(message, e);
  }
}
