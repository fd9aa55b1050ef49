package dev.edx.provider.kafka;

import dev.edx.api.DataStore;
import dev.edx.api.spi.DataStoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.NamePrefix;
import dev.edx.toolkit.Setting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code kafka} data store provider: a {@link KafkaStore} (a {@link dev.edx.api.StreamStore}
 * with an admin client) per {@code spec.datastores.NAME} with {@code provider: kafka}, and its
 * topics provisioned (named {@code pr42.gha.events} for {@code gha.events} in an environment with
 * {@code metadata.namePrefix: pr42}).
 */
public final class KafkaDataStoreProvider implements DataStoreProvider {
  static final String NAME = "kafka";

  /** Called by {@link java.util.ServiceLoader}. */
  public KafkaDataStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(KafkaProperties.class);
  }

  @Override
  public DataStore create(ServiceSpec spec, ProviderContext context) {
    Map<String, String> client = new LinkedHashMap<>(
        KafkaProperties.CLIENT_PROPERTIES.get(spec));
    for (String key : client.keySet()) {
      if (KafkaProperties.secretKey(key)) {
        throw spec.error(KafkaProperties.CLIENT_PROPERTIES.key() + "." + key, "holds a secret:"
            + " passwords, keys and JAAS configurations do not go in clientProperties; set the"
            + " 'password' key, from a ${secret:...} reference, so it is never shown");
      }
    }
    client.put("bootstrap.servers", KafkaProperties.BOOTSTRAP_SERVERS.get(spec).trim());
    client.putIfAbsent("client.id", "edx-" + context.environmentName());
    KafkaProperties.SECURITY_PROTOCOL.find(spec)
        .ifPresent(p -> client.put("security.protocol", p));
    Optional<String> user = KafkaProperties.USERNAME.find(spec);
    Optional<String> password = KafkaProperties.PASSWORD.find(spec);
    if (user.isPresent() != password.isPresent()) {
      throw spec.error(user.isPresent() ? "password" : "username", "is required with "
          + (user.isPresent() ? "username" : "password") + ": set both, or neither");
    }
    if (user.isPresent()) {
      String mechanism = KafkaProperties.SASL_MECHANISM.get(spec);
      String module = mechanism.equals("PLAIN")
          ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      client.put("sasl.mechanism", mechanism);
      client.put("sasl.jaas.config", module + " required username=\"" + jaas(user.get())
          + "\" password=\"" + jaas(password.get()) + "\";");
      client.putIfAbsent("security.protocol", "SASL_SSL");
    }
    String service = spec.service();
    String name = service.substring(service.indexOf('.') + 1);
    NamePrefix prefix = NamePrefix.of(context);
    return new KafkaStore(service, name, context.environmentName(), client,
        KafkaTopics.parse(spec, KafkaProperties.TOPICS.key(), prefix),
        KafkaProperties.OWNERSHIP_TOPIC.get(spec), KafkaProperties.REQUEST_TIMEOUT.get(spec),
        prefix);
  }

  private static String jaas(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
