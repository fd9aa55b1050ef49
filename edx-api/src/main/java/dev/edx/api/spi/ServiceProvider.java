package dev.edx.api.spi;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A named factory of one service. Implementations are stateless, have a public no-argument
 * constructor, and are listed in {@code META-INF/services} under their service's interface.
 *
 * @param <T> the service type
 */
public interface ServiceProvider<T> {

  /** The name specs use in {@code provider:}, such as {@code local}, {@code minio}, {@code s3}. */
  String name();

  /**
   * Builds a ready service from its spec. The caller (edx-core, when it opens an environment) has
   * checked the spec against {@link #properties()}: no unknown key, every required one present,
   * values of the declared types. The provider reads it here, once, into its own typed settings;
   * a bad value is a {@code ConfigurationException} naming the key ({@link ServiceSpec#error}). A
   * service that owns clients or threads implements {@link AutoCloseable}; the environment closes
   * it. A service that can create what it serves also implements {@link Provisioner}.
   */
  T create(ServiceSpec spec, ProviderContext context);

  /**
   * The settings this provider accepts. When not empty, edx checks a spec section against them
   * before {@link #create} and describes them in the spec's JSON Schema; an empty list means the
   * provider checks its section itself and editors get no completion for it.
   */
  default List<PropertyDescriptor> properties() {
    return List.of();
  }

  /**
   * Spec keys whose values are secret: masked in {@code toString}, logs and rendered specs. By
   * default, the {@link #properties()} marked sensitive.
   */
  default Set<String> sensitivePropertyNames() {
    return properties().stream().filter(PropertyDescriptor::sensitive)
        .map(PropertyDescriptor::name).collect(Collectors.toUnmodifiableSet());
  }
}
