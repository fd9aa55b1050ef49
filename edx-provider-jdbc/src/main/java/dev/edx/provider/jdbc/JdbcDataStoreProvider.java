package dev.edx.provider.jdbc;

import dev.edx.api.DataStore;
import dev.edx.api.spi.DataStoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.NamePrefix;
import dev.edx.toolkit.Setting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code jdbc} data store provider: a {@link dev.edx.api.RelationalStore} per {@code
 * spec.datastores.NAME} with {@code provider: jdbc}, and its schemas provisioned (named {@code
 * pr42_gha} for {@code gha} in an environment with {@code metadata.namePrefix: pr42}). The JDBC
 * driver of the dialect must be on the class path (the user's choice: this module brings none); the
 * first use of a store without it fails naming the Maven artifact to add.
 */
public final class JdbcDataStoreProvider implements DataStoreProvider {
  static final String NAME = "jdbc";
  private static final Set<String> ROLE_KEYS = Set.of("name", "schemas", "access", "adopt");

  /** Called by {@link java.util.ServiceLoader}. */
  public JdbcDataStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(JdbcProperties.class);
  }

  @Override
  public DataStore create(ServiceSpec spec, ProviderContext context) {
    SqlDialect dialect = JdbcProperties.DIALECT.get(spec);
    String url = JdbcProperties.URL.get(spec);
    if (!dialect.accepts(url)) {
      String other = SqlDialect.forUrl(url).map(d -> " (it is a " + d.key() + " URL: set"
              + " 'dialect: " + d.key() + "', or give a URL of the " + dialect.key() + " dialect)")
          .orElse("");
      throw spec.error("url", "is not a URL of the " + dialect.key() + " dialect: it must start"
          + " with " + String.join(" or ", dialect.urlPrefixes()) + other);
    }
    List<DeclaredResource> schemas = JdbcProperties.SCHEMAS.get(spec);
    for (int i = 0; i < schemas.size(); i++) {
      Optional<String> problem = dialect.checkName(schemas.get(i).name());
      if (problem.isPresent()) {
        throw spec.error(JdbcProperties.SCHEMAS.key() + "[" + i + "]", problem.get());
      }
    }
    SchemaOptions options = schemaOptions(spec, dialect);
    JdbcStore.ConnectionSettings connection = new JdbcStore.ConnectionSettings(url,
        JdbcProperties.USER.find(spec), JdbcProperties.PASSWORD.find(spec),
        JdbcProperties.POOL_SIZE.get(spec), JdbcProperties.CONNECT_TIMEOUT.get(spec));
    String service = spec.service();
    String name = service.substring(service.indexOf('.') + 1);
    NamePrefix prefix = NamePrefix.of(context);
    List<Role> roles = roles(spec, dialect, schemas, prefix);
    return new JdbcStore(service, name, context.environmentName(), dialect, connection,
        prefix.physical(spec, JdbcProperties.SCHEMAS.key(), "schema", schemas,
            prefix::identifier, JdbcProperties::schemaName),
        options, prefix, roles);
  }

  /**
   * The declared roles, with physical names (the name prefix applied to the role and its
   * schemas). Each names only schemas the store declares.
   */
  private static List<Role> roles(ServiceSpec spec, SqlDialect dialect,
      List<DeclaredResource> schemas, NamePrefix prefix) {
    String key = JdbcProperties.ROLES.key();
    Optional<Object> raw = JdbcProperties.ROLES.find(spec);
    if (raw.isEmpty()) {
      return List.of();
    }
    if (!(raw.get() instanceof List<?> list)) {
      throw spec.error(key, "must be a list of {name, schemas, access} maps");
    }
    Set<String> declared = new LinkedHashSet<>();
    schemas.forEach(s -> declared.add(s.name()));
    Set<String> seen = new HashSet<>();
    List<Role> roles = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = key + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw spec.error(path, "must be a map {name, schemas, access, adopt}");
      }
      for (Object k : map.keySet()) {
        if (!ROLE_KEYS.contains(String.valueOf(k))) {
          throw spec.error(path + "." + k, "unknown key; a role takes " + ROLE_KEYS);
        }
      }
      if (!(map.get("name") instanceof String name)) {
        throw spec.error(path + ".name", "is required: the role's name");
      }
      try {
        JdbcProperties.roleName(name);
      } catch (IllegalArgumentException e) {
        throw spec.error(path + ".name", e.getMessage());
      }
      Optional<String> problem = dialect.checkRoleName(name);
      if (problem.isPresent()) {
        throw spec.error(path + ".name", problem.get());
      }
      if (!seen.add(name)) {
        throw spec.error(path + ".name", "'" + name + "' is declared twice; declare each role"
            + " once");
      }
      if (!(map.get("schemas") instanceof List<?> names) || names.isEmpty()) {
        throw spec.error(path + ".schemas", "is required: a non-empty list of the schemas (of"
            + " this store's 'schemas') role '" + name + "' reaches");
      }
      List<String> physical = new ArrayList<>();
      for (int j = 0; j < names.size(); j++) {
        String schema = String.valueOf(names.get(j));
        if (!declared.contains(schema)) {
          throw spec.error(path + ".schemas[" + j + "]", "role '" + name + "' names schema '"
              + schema + "', which this data store does not declare (schemas: " + declared
              + "); declare it under 'schemas' or remove it from the role");
        }
        physical.add(prefix.identifier(schema));
      }
      Object access = map.get("access");
      if (!"read".equals(access) && !"write".equals(access)) {
        throw spec.error(path + ".access", "must be read (use the schemas and select their"
            + " tables) or write (also insert, update and delete)");
      }
      Object adopt = map.get("adopt");
      if (adopt != null && !(adopt instanceof Boolean)) {
        throw spec.error(path + ".adopt", "must be true or false");
      }
      roles.add(new Role(prefix.check(spec, path + ".name", "role", prefix.identifier(name),
              JdbcProperties::roleName), Boolean.TRUE.equals(adopt), physical,
          "read".equals(access) ? Role.Access.READ : Role.Access.WRITE));
    }
    return List.copyOf(roles);
  }

  /** Teradata's space settings: required there, refused elsewhere (they would do nothing). */
  private static SchemaOptions schemaOptions(ServiceSpec spec, SqlDialect dialect) {
    Optional<Long> perm = JdbcProperties.PERMANENT_SPACE.find(spec);
    Optional<String> parent = JdbcProperties.PARENT_DATABASE.find(spec);
    if (dialect != SqlDialect.TERADATA) {
      for (Setting<?> s : List.of(JdbcProperties.PERMANENT_SPACE,
          JdbcProperties.PARENT_DATABASE)) {
        if (s.isSet(spec)) {
          throw spec.error(s.key(), "applies to the teradata dialect only; remove it");
        }
      }
      return SchemaOptions.NONE;
    }
    if (perm.isEmpty() && !JdbcProperties.SCHEMAS.get(spec).isEmpty()) {
      throw spec.error(JdbcProperties.PERMANENT_SPACE.key(), "is required with the teradata"
          + " dialect when schemas are declared (CREATE DATABASE needs its PERMANENT space):"
          + " set it, for example permanentSpace: 10GiB");
    }
    return new SchemaOptions(parent,
        perm.map(OptionalLong::of).orElse(OptionalLong.empty()));
  }
}
