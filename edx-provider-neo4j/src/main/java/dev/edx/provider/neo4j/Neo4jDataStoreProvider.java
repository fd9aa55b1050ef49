package dev.edx.provider.neo4j;

import dev.edx.api.DataStore;
import dev.edx.api.spi.DataStoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.NamePrefix;
import dev.edx.toolkit.Setting;
import java.util.List;
import java.util.Optional;

/**
 * The {@code neo4j} data store provider: a {@link Neo4jStore} (a Neo4j Java driver) per {@code
 * spec.datastores.NAME} with {@code provider: neo4j}, and its constraints provisioned (on label
 * {@code pr42_Repo}, named {@code pr42_repo_id_unique}, for label {@code Repo} in an environment
 * with {@code metadata.namePrefix: pr42}).
 */
public final class Neo4jDataStoreProvider implements DataStoreProvider {
  static final String NAME = "neo4j";

  /** Called by {@link java.util.ServiceLoader}. */
  public Neo4jDataStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(Neo4jProperties.class);
  }

  @Override
  public DataStore create(ServiceSpec spec, ProviderContext context) {
    Optional<String> user = Neo4jProperties.USER.find(spec);
    Optional<String> password = Neo4jProperties.PASSWORD.find(spec);
    if (user.isPresent() != password.isPresent()) {
      throw spec.error(user.isPresent() ? "password" : "user", "is required with "
          + (user.isPresent() ? "user" : "password") + ": set both, or neither (no"
          + " authentication)");
    }
    Neo4jStore.ConnectionSettings connection = new Neo4jStore.ConnectionSettings(
        Neo4jProperties.URI.get(spec), user, password, Neo4jProperties.DATABASE.find(spec),
        Neo4jProperties.CONNECT_TIMEOUT.get(spec));
    String service = spec.service();
    String name = service.substring(service.indexOf('.') + 1);
    NamePrefix prefix = NamePrefix.of(context);
    return new Neo4jStore(service, name, context.environmentName(), connection,
        Neo4jConstraints.parse(spec, Neo4jProperties.CONSTRAINTS.key(), prefix),
        Neo4jProperties.OWNERSHIP_LABEL.get(spec), prefix);
  }
}
