package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code platform.json} says about a running {@link Platform}: the process, the S3
 * endpoint, PostgreSQL, the Hive Metastore when it runs one, and the spec that reaches them. The
 * key names of the file are a contract (see {@link Platform}). {@link #toString()} never shows a
 * secret.
 *
 * @param pid the daemon's process id
 * @param startedAt when it became ready
 * @param dataDirectory the platform's data directory
 * @param s3Endpoint the S3 endpoint ({@code s3.endpoint})
 * @param s3Region {@code s3.region}
 * @param s3AccessKey {@code s3.accessKey}
 * @param s3SecretKey {@code s3.secretKey} (secret)
 * @param jdbcUrl {@code postgres.jdbcUrl}, the database of edx's own metastore
 * @param postgresUser {@code postgres.user}
 * @param postgresPassword {@code postgres.password} (secret)
 * @param hiveMetastoreUri {@code hiveMetastore.uri} when the platform runs a Hive Metastore
 * @param spec {@code spec}: the environment spec that reaches the platform
 * @param hiveMetastoreError {@code hiveMetastore.error}: why the Hive Metastore did not start
 * @param kafkaBootstrapServers {@code kafka.bootstrapServers} when the platform runs a Kafka
 *     broker ({@code edx up --with kafka})
 * @param kafkaError {@code kafka.error}: why the Kafka broker did not start
 * @param with {@code with}: the optional services the platform was asked to start
 */
public record PlatformInfo(long pid, Instant startedAt, Path dataDirectory, URI s3Endpoint,
    String s3Region, String s3AccessKey, String s3SecretKey, String jdbcUrl, String postgresUser,
    String postgresPassword, Optional<String> hiveMetastoreUri, Path spec,
    Optional<String> hiveMetastoreError, Optional<String> kafkaBootstrapServers,
    Optional<String> kafkaError, Set<String> with) {

  public PlatformInfo {
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(dataDirectory, "dataDirectory is null");
    requireNonNull(s3Endpoint, "s3Endpoint is null");
    requireNonNull(s3Region, "s3Region is null");
    requireNonNull(s3AccessKey, "s3AccessKey is null");
    requireNonNull(s3SecretKey, "s3SecretKey is null");
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(postgresUser, "postgresUser is null");
    requireNonNull(postgresPassword, "postgresPassword is null");
    requireNonNull(hiveMetastoreUri, "hiveMetastoreUri is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(hiveMetastoreError, "hiveMetastoreError is null");
    requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers is null");
    requireNonNull(kafkaError, "kafkaError is null");
    with = Set.copyOf(requireNonNull(with, "with is null"));
  }

  /** Reads a {@code platform.json}. */
  public static PlatformInfo read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    try {
      JsonNode s3 = root.required("s3");
      JsonNode pg = root.required("postgres");
      JsonNode hive = root.path("hiveMetastore").path("uri");
      JsonNode hiveError = root.path("hiveMetastore").path("error");
      JsonNode kafka = root.path("kafka").path("bootstrapServers");
      JsonNode kafkaError = root.path("kafka").path("error");
      Set<String> with = new TreeSet<>();
      root.path("with").forEach(n -> with.add(n.asText()));
      return new PlatformInfo(root.required("pid").asLong(),
          Instant.parse(root.required("startedAt").asText()),
          Path.of(root.required("dataDirectory").asText()),
          URI.create(s3.required("endpoint").asText()), s3.required("region").asText(),
          s3.required("accessKey").asText(), s3.required("secretKey").asText(),
          pg.required("jdbcUrl").asText(), pg.required("user").asText(),
          pg.required("password").asText(),
          hive.isTextual() ? Optional.of(hive.asText()) : Optional.empty(),
          Path.of(root.required("spec").asText()),
          hiveError.isTextual() ? Optional.of(hiveError.asText()) : Optional.empty(),
          kafka.isTextual() ? Optional.of(kafka.asText()) : Optional.empty(),
          kafkaError.isTextual() ? Optional.of(kafkaError.asText()) : Optional.empty(), with);
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage()
          + "; it is not a platform.json edx wrote", e);
    }
  }

  /** The PostgreSQL host of {@link #jdbcUrl()}. */
  public String postgresHost() {
    return URI.create(jdbcUrl.substring("jdbc:".length())).getHost();
  }

  /** The PostgreSQL port of {@link #jdbcUrl()}. */
  public int postgresPort() {
    return URI.create(jdbcUrl.substring("jdbc:".length())).getPort();
  }

  /** The database of {@link #jdbcUrl()}. */
  public String postgresDatabase() {
    String path = URI.create(jdbcUrl.substring("jdbc:".length())).getPath();
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /** Addresses only: no key or password. */
  @Override
  public String toString() {
    return "PlatformInfo{pid=" + pid + ", s3=" + s3Endpoint + ", postgres=" + jdbcUrl
        + hiveMetastoreUri.map(u -> ", hiveMetastore=" + u).orElse("")
        + kafkaBootstrapServers.map(k -> ", kafka=" + k).orElse("") + ", spec=" + spec + "}";
  }
}
