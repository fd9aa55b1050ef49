package dev.edx.provider.mongodb;

import com.mongodb.ConnectionString;
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
 * The {@code mongodb} data store provider: a {@link MongoStore} (a {@code MongoClient}) per
 * {@code spec.datastores.NAME} with {@code provider: mongodb}, and its collections and indexes
 * provisioned (in database {@code pr42_gha} for {@code gha} in an environment with {@code
 * metadata.namePrefix: pr42}).
 */
public final class MongoDataStoreProvider implements DataStoreProvider {
  static final String NAME = "mongodb";

  /** Called by {@link java.util.ServiceLoader}. */
  public MongoDataStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(MongoProperties.class);
  }

  @Override
  public DataStore create(ServiceSpec spec, ProviderContext context) {
    ConnectionString uri = new ConnectionString(MongoProperties.URI.get(spec));
    Optional<String> database = MongoProperties.DATABASE.find(spec)
        .or(() -> Optional.ofNullable(uri.getDatabase()));
    String service = spec.service();
    String name = service.substring(service.indexOf('.') + 1);
    NamePrefix prefix = NamePrefix.of(context);
    List<MongoCollections.Collection> collections =
        MongoCollections.parse(spec, MongoProperties.COLLECTIONS.key(), database, prefix);
    String key = MongoProperties.DATABASE.find(spec).isPresent()
        ? MongoProperties.DATABASE.key() : MongoProperties.URI.key();
    Optional<String> physical = database.map(d -> prefix.check(spec, key, "database",
        prefix.identifier(d), MongoCollections::requireValidDatabase));
    return new MongoStore(service, name, context.environmentName(), uri, physical,
        MongoProperties.CONNECT_TIMEOUT.get(spec), collections,
        MongoProperties.OWNERSHIP_COLLECTION.get(spec), prefix);
  }
}
