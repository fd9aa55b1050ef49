package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.DataStore;
import dev.edx.api.spi.DataStoreProvider;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.util.List;

/**
 * {@link ProvisionerContract} for a data store's resources (a cluster's topics, a database's
 * schemas, a graph's constraints, collections): the provisioner under test is the {@link
 * DataStore} itself, made by the provider under test from a {@code spec.datastores.NAME}
 * section, as an environment makes it. A subclass passes the provider, the store's name, the key
 * that lists its resources and the run's server of the backend to the constructor, and adds the
 * connection settings; the section it gets reads:
 *
 * <pre>{@code
 * datastores:
 *   events:                   # storeName
 *     provider: kafka         # provider.name()
 *     bootstrapServers: "..." # connectionSettings(section)
 *     topics: [a, {name: b, adopt: true}]  # resourcesKey: specValue(declared) of each
 * }</pre>
 *
 * <p>The server is the subclass's handle on the backend, to reach it behind edx's back ({@link
 * #server()}); JUnit passes it to the subclass's constructor, as a parameter of the extension the
 * subclass registers (a {@link RunSharedResolver}, or {@link EdxTest} for a {@link KafkaBroker}):
 *
 * <pre>{@code
 * @ExtendWith(Neo4jServer.Extension.class)
 * class Neo4jProvisionerContractTest extends DataStoreProvisionerContract<Neo4jServer> {
 *   Neo4jProvisionerContractTest(Neo4jServer server) {
 *     super(new Neo4jDataStoreProvider(), "graph", "constraints", server);
 *   }
 * }</pre>
 *
 * <p>{@link #kind()} is the resources key in the singular ({@code topics}: {@code topic}).
 *
 * <p>The store is created with {@link Specs#create}, so its settings are checked as edx-core
 * checks them, and with a {@link TestProviderContext} of the environment under test; the contract
 * closes it after the test.
 *
 * @param <S> the backend's server the test runs against
 */
public abstract class DataStoreProvisionerContract<S> extends ProvisionerContract {
  private final DataStoreProvider provider;
  private final String storeName;
  private final String resourcesKey;
  private final S server;

  /**
   * A contract for the stores {@code provider} makes.
   *
   * @param provider the provider under test
   * @param storeName the store's name: the section is {@code spec.datastores.<storeName>}
   * @param resourcesKey the key of the section that lists the declared resources: {@code topics}
   * @param server the run's server of the backend
   */
  protected DataStoreProvisionerContract(DataStoreProvider provider, String storeName,
      String resourcesKey, S server) {
    this.provider = requireNonNull(provider, "provider is null");
    this.storeName = requireNonNull(storeName, "storeName is null");
    this.resourcesKey = requireNonNull(resourcesKey, "resourcesKey is null");
    this.server = requireNonNull(server, "server is null");
  }

  /**
   * A contract for the stores {@code provider} makes, whose test reaches the backend by means of
   * its own (several servers behind one abstract test, say): {@link #server()} then fails.
   */
  protected DataStoreProvisionerContract(DataStoreProvider provider, String storeName,
      String resourcesKey) {
    this.provider = requireNonNull(provider, "provider is null");
    this.storeName = requireNonNull(storeName, "storeName is null");
    this.resourcesKey = requireNonNull(resourcesKey, "resourcesKey is null");
    this.server = null;
  }

  /** The run's server of the backend, given to the constructor. */
  protected final S server() {
    if (server == null) {
      throw new IllegalStateException(getClass().getName() + " was given no server: pass the"
          + " run's server to DataStoreProvisionerContract's constructor to use server()");
    }
    return server;
  }

  /**
   * Adds the settings that reach the backend under test (an address, credentials with {@link
   * ServiceSpec.Builder#setSensitive}) to the section, beside {@code provider} and the list of
   * resources.
   */
  protected abstract void connectionSettings(ServiceSpec.Builder section);

  /**
   * How the section lists one declared resource; by default {@link Declared#specValue()} (the
   * bare name, or {@code {name, adopt: true}}). Override it for resources declared as maps with
   * more keys, with {@link Declared#specValue(java.util.Map)}.
   */
  protected Object specValue(Declared declared) {
    return declared.specValue();
  }

  /** The resources key in the singular: {@code topic} for {@code topics}. */
  @Override
  protected String kind() {
    return resourcesKey.endsWith("s") ? resourcesKey.substring(0, resourcesKey.length() - 1)
        : resourcesKey;
  }

  /** The section {@link #provisioner} makes the store from. */
  protected ServiceSpec section(List<Declared> declared) {
    return sectionBuilder(declared).build();
  }

  /**
   * The section of {@link #section}, not yet built: a test that goes beyond the contract adds
   * keys the provider takes besides the resources (a relational store's {@code roles}, say)
   * before building it.
   */
  protected ServiceSpec.Builder sectionBuilder(List<Declared> declared) {
    ServiceSpec.Builder section = ServiceSpec.builder("datastores." + storeName, provider.name())
        .setSource("<test>");
    connectionSettings(section);
    return section.set(resourcesKey, declared.stream().map(this::specValue).toList());
  }

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    DataStore store = Specs.create(provider, section(declared),
        new TestProviderContext(environment));
    if (store instanceof Provisioner provisioner) {
      return provisioner;
    }
    if (store instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // the failure below is the one to report
      }
    }
    throw new IllegalStateException("Data store provider '" + provider.name() + "' made a "
        + store.getClass().getName() + ", which is not a Provisioner: the provisioner contract"
        + " runs only against stores that provision");
  }
}
