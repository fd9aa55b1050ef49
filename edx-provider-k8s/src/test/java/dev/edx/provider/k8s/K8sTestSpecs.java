package dev.edx.provider.k8s;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.nio.file.Path;

/**
 * {@code k8s} compute settings for tests, written as spec keys and read as the provider reads
 * them: checked against its declared settings first ({@link Specs#checked}), as edx-core does.
 */
final class K8sTestSpecs {
  private K8sTestSpecs() {}

  /** A {@code spec.compute} section for {@code namespace}; add keys with {@code set}. */
  static ServiceSpec.Builder compute(String namespace) {
    return ServiceSpec.builder("compute", "k8s").set("namespace", namespace);
  }

  /** The settings of {@code spec}; relative paths resolve against the working directory. */
  static K8sComputeSettings settings(ServiceSpec.Builder spec) {
    return K8sComputeSettings.from(Specs.checked(new K8sComputeProvider(), spec.build()),
        Path.of(""));
  }
}
