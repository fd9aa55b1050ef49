package dev.edx.core.postgres;

import static java.util.Objects.requireNonNull;

import dev.edx.toolkit.DeclaredResource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The typed spec of the {@code postgres} metastore. The password is never part of {@link
 * #toString()}. Not public API.
 */
record PostgresSettings(
    String jdbcUrl,
    Optional<String> user,
    Optional<String> password,
    String schema,
    int poolSize,
    Optional<String> sslMode,
    Duration connectTimeout,
    int batchSize,
    boolean migrate,
    List<DeclaredResource> databases) {

  PostgresSettings {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(schema, "schema is null");
    requireNonNull(sslMode, "sslMode is null");
    requireNonNull(connectTimeout, "connectTimeout is null");
    databases = List.copyOf(requireNonNull(databases, "databases is null"));
  }

  /** The URL without its query string, for messages: {@code jdbc:postgresql://host:5432/edx}. */
  String displayUrl() {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
  }

  /** {@code as user edx}, or {@code as the driver's default user}. */
  String displayUser() {
    return user.map(u -> "user " + u).orElse("the driver's default user");
  }

  @Override
  public String toString() {
    return "PostgresSettings{jdbcUrl=" + displayUrl() + ", user=" + user.orElse("<default>")
        + ", password=" + (password.isPresent() ? "****" : "<none>") + ", schema=" + schema
        + ", poolSize=" + poolSize + ", sslMode=" + sslMode.orElse("<driver default>")
        + ", connectTimeout=" + connectTimeout + ", batchSize=" + batchSize + ", migrate="
        + migrate + ", databases=" + databases + "}";
  }
}
