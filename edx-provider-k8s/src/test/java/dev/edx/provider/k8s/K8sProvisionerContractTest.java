package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.ProvisionerContract;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provisioner contract against the {@code k8s} compute's provisioning, on fabric8's mock API
 * server in CRUD mode. The resource is the namespace: the compute declares one, with the service
 * accounts, Roles and RoleBindings in it, all labelled with the environment. The namespace is
 * created labelled, then the objects in it: an apply stopped in between leaves a labelled
 * namespace, which the next apply completes. Data is what the namespace holds (a ConfigMap here).
 *
 * <p>PROVISION_RESOURCE_LIST is off: a compute declares one namespace, and one that the spec no
 * longer declares is not known to the provisioner, so it is left as it is (not deleted when
 * empty, unlike the other provisioners' resources).
 */
@EnableKubernetesMockClient(crud = true, https = false) // the provider's own client, plain http
class K8sProvisionerContractTest extends ProvisionerContract {
  private static final String DATA = "edx-contract-data";

  static KubernetesClient client;

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    assertThat(declared).as("a k8s compute declares one namespace").hasSize(1);
    Declared namespace = declared.get(0);
    ServiceSpec spec = ServiceSpec.builder("compute", "k8s")
        .set(K8sConnectionProperties.NAMESPACE.key(), namespace.name())
        .set(K8sConnectionProperties.MASTER_URL.key(), client.getMasterUrl().toString())
        .set(K8sComputeProperties.ADOPT.key(), namespace.adopt())
        .build();
    return (Provisioner) Specs.create(new K8sComputeProvider(), spec,
        new TestProviderContext(environment));
  }

  @Override
  protected String kind() {
    return "namespace";
  }

  @Override
  protected void createUnowned(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).create();
  }

  @Override
  protected void putData(String name) {
    client.configMaps().inNamespace(name).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(DATA).endMetadata().withData(Map.of("k", "v")).build()).create();
  }

  @Override
  protected boolean holdsData(String name) {
    return client.configMaps().inNamespace(name).withName(DATA).get() != null;
  }

  /** Deletes what is in the namespace, then the namespace: the mock does not cascade. */
  @Override
  protected void deleteBehindBack(String name) {
    client.rbac().roleBindings().inNamespace(name).delete();
    client.rbac().roles().inNamespace(name).delete();
    client.serviceAccounts().inNamespace(name).delete();
    client.configMaps().inNamespace(name).delete();
    client.namespaces().withName(name).delete();
  }

  @Override
  protected boolean exists(String name) {
    return client.namespaces().withName(name).get() != null;
  }

  @Override
  protected Optional<String> owner(String name) {
    Namespace namespace = client.namespaces().withName(name).get();
    Map<String, String> labels = namespace.getMetadata().getLabels();
    return labels != null && "edx".equals(labels.get(K8sProperties.MANAGED_BY))
        ? Optional.ofNullable(labels.get(K8sProperties.ENVIRONMENT_LABEL)) : Optional.empty();
  }

  /** The labelled namespace alone, as an apply stopped before the objects in it leaves it. */
  @Override
  protected void interruptCreate(String environment, String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of(K8sProperties.MANAGED_BY, "edx",
            K8sProperties.ENVIRONMENT_LABEL, environment))
        .endMetadata().build()).create();
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case PROVISION_RESOURCE_LIST -> false;
      case PROVISION_MULTI_STEP_CREATE, PROVISION_MARKS_BEFORE_CREATE -> true;
      default -> super.supports(capability);
    };
  }
}
