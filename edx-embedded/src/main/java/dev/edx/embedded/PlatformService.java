package dev.edx.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One more service of the embedded {@link Platform}, beside the S3 endpoint and PostgreSQL that
 * every platform runs (for example a Hive Metastore whose backing database is that PostgreSQL).
 * A running service: closing it stops it (idempotent).
 */
public interface PlatformService extends AutoCloseable {
  /** The key of its section in {@code platform.json}, for example {@code hiveMetastore}. */
  String name();

  /**
   * Its section of {@code platform.json}: how clients reach it (for example {@code uri}). The
   * file is readable by its owner only, so the section may hold credentials.
   */
  Map<String, Object> contract();

  /**
   * The {@code metastore} section of {@code environment.yaml} when this service is the
   * platform's metastore (YAML flow-mapping text, without braces), else empty: the platform's
   * spec then keeps the {@code postgres} metastore.
   */
  default Optional<String> metastoreSpec() {
    return Optional.empty();
  }

  /**
   * The data stores this service declares in {@code environment.yaml}'s {@code
   * spec.datastores}: each store's name and its section (YAML flow-mapping text, without braces,
   * for example {@code provider: kafka, bootstrapServers: "127.0.0.1:9092"}). Empty by default.
   */
  default Map<String, String> datastoreSpecs() {
    return Map.of();
  }

  /** Stops the service; idempotent. */
  @Override
  void close();

  /** Starts a {@link PlatformService} on a platform's data directory and PostgreSQL. */
  interface Factory {
    /** The name of the service it starts (the key of its section in {@code platform.json}). */
    String name();

    /** Starts the service; the platform stops it before its PostgreSQL and S3 endpoint. */
    PlatformService start(Context context);

    /**
     * Whether the platform starts it only when its data directory asks for it ({@link
     * PlatformOptions#with()}, {@code edx up --with NAME}); by default a service found is
     * started.
     */
    default boolean optional() {
      return false;
    }

    /**
     * Whether it needs nothing of the services listed before it, only its {@link Context}: the
     * platform then starts it at once, on a thread of its own, beside those services, and waits
     * for it before it starts any service listed after it. By default a service starts once
     * those listed before it have started.
     */
    default boolean independent() {
      return false;
    }

    /** One line on what it adds, for {@code edx up --help} and error messages. */
    default String description() {
      return name();
    }
  }

  /**
   * What a service starts on: the platform's data directory (its own data goes in a sub-folder
   * named after it) and the platform's running PostgreSQL and S3 endpoint.
   */
  record Context(Path directory, PostgresEndpoint postgres, S3Endpoint s3) {
    public Context {
      java.util.Objects.requireNonNull(directory, "directory is null");
      java.util.Objects.requireNonNull(postgres, "postgres is null");
      java.util.Objects.requireNonNull(s3, "s3 is null");
    }
  }
}
