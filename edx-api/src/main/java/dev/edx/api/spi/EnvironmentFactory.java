package dev.edx.api.spi;

import dev.edx.api.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Opens environments. Implemented by {@code edx-core} and found with {@link
 * java.util.ServiceLoader}, so code compiled against {@code edx-api} alone (the GH Archive
 * pipeline's main) can open an environment with whatever implementation is on the class path.
 */
public interface EnvironmentFactory {

  /** Opens the environment a spec file (YAML or JSON) declares. */
  Environment open(Path specFile);

  /**
   * Opens the embedded environment: everything in-process, its data kept under {@code
   * dataDirectory} so a second run sees the first run's data.
   */
  Environment openEmbedded(Path dataDirectory);

  /**
   * The changes {@link #apply} would make to reach what the spec declares, service by service,
   * without making them. Drift made behind edx's back shows here.
   */
  List<Change> plan(Path specFile);

  /**
   * Makes what the spec declares exist, in dependency order (secrets, storage, metastore,
   * compute); idempotent, and an interrupted apply is completed by the next.
   */
  List<Change> apply(Path specFile);

  /** Removes what the environment owns, in reverse order; data follows {@code policy}. */
  List<Change> destroy(Path specFile, DataPolicy policy);

  /**
   * The effective spec as YAML: extends resolved, {@code ${...}} references kept as written, so
   * it never holds a secret value.
   */
  String render(Path specFile);

  /**
   * Writes the spec of an ephemeral environment {@code name} derived from {@code base} into
   * {@code directory}, isolated by name prefix, expiring after {@code ttl} when given; does not
   * apply it. Returns the spec file.
   */
  Path derive(Path base, String name, Optional<Duration> ttl, Path directory);

  /** The ephemeral environments' spec files in {@code directory} that have expired. */
  List<Path> expired(Path directory);

  /**
   * The JSON Schema of specs, generated from the settings the providers on the class path
   * declare: the rules {@link #open} checks specs against.
   */
  String schema();

  /**
   * When several factories are on the class path, the one with the highest priority is used. The
   * core's is 0; one that embeds real servers (the testkit's) ranks higher.
   */
  default int priority() {
    return 0;
  }
}
