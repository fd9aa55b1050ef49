package dev.edx.api.spi;

import dev.edx.api.Environment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What a provider may use while creating its service. */
public interface ProviderContext {

  /** The environment's {@code metadata.name}. */
  String environmentName();

  /** Relative paths in the spec resolve against this folder (the spec file's folder). */
  Path baseDirectory();

  /**
   * The environment's {@code metadata.namePrefix}, when it has one. The environment rewrites the
   * resource names the four services declare (buckets, metastore databases, secrets, namespace)
   * before their providers see them; a data store provider ({@link DataStoreProvider}) gets its
   * spec as written and applies the prefix itself, to what it provisions and in its handle's
   * logical-to-physical mapping ({@code RelationalStore.schema}, {@code StreamStore.topic}), with
   * the rules of {@code dev.edx.toolkit.NamePrefix}. Empty (the default): names are used as
   * declared.
   */
  default Optional<String> namePrefix() {
    return Optional.empty();
  }

  /** The class loader providers and tasks are loaded from. */
  ClassLoader classLoader();

  /** An environment variable, through the seam the environment was opened with. */
  default Optional<String> environmentVariable(String name) {
    return Optional.ofNullable(environmentVariables().get(name));
  }

  /**
   * All environment variables, through the seam the environment was opened with (a test can
   * substitute them). The default is the process environment.
   */
  default Map<String, String> environmentVariables() {
    return System.getenv();
  }

  /**
   * The environment's effective spec as YAML with {@code ${...}} references kept as written (never
   * a secret value): {@code extends} resolved, and the literal value of a key its provider
   * declares sensitive shown as {@code ****}. For services that hand the spec on, such as a
   * compute that ships it to the pod a task runs in. Empty when the spec is not known (a service
   * created outside an environment).
   */
  default Optional<String> renderedSpec() {
    return Optional.empty();
  }

  /**
   * The environment being opened, for services that hand it on (local compute gives it to the
   * tasks it runs). Call it only after {@code create} returned: it throws {@link
   * IllegalStateException} while the environment is still being opened.
   */
  Environment environment();
}
