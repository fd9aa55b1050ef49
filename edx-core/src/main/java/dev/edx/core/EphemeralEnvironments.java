package dev.edx.core;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Ephemeral environments derived from a base spec: each gets its own spec file that {@code
 * extends} the base with its name as {@code metadata.namePrefix} (so its buckets, databases,
 * secrets and namespace share nothing with the base or with each other) and, with a time to live,
 * an {@code edx.dev/expires-at} label that {@link #expired} reads.
 */
public final class EphemeralEnvironments {
  /** The label holding when an ephemeral environment expires (ISO-8601 instant). */
  public static final String EXPIRES_AT = "edx.dev/expires-at";
  /** The label naming the base spec an environment was derived from. */
  public static final String DERIVED_FROM = "edx.dev/derived-from";

  private EphemeralEnvironments() {}

  /**
   * Writes {@code directory/<name>.yaml}, a spec deriving environment {@code name} from {@code
   * base}; it does not apply it.
   *
   * @throws ConfigurationException if the name is invalid or that environment already exists
   */
  public static Path derive(Path base, String name, Optional<Duration> ttl, Path directory,
      Instant now) {
    requireNonNull(base, "base is null");
    requireNonNull(name, "name is null");
    new Isolation(name); // validates the name as a prefix
    EnvironmentSpec.parse(base); // fails early, naming the base's problem
    try {
      Files.createDirectories(directory);
      Path file = directory.resolve(name + ".yaml");
      if (Files.exists(file)) {
        throw new ConfigurationException("Cannot create environment '" + name + "': " + file
            + " already exists; pick another name or destroy it first");
      }
      Path relativeBase = directory.toAbsolutePath().normalize()
          .relativize(base.toAbsolutePath().normalize());
      StringBuilder yaml = new StringBuilder()
          .append("# Ephemeral environment derived by edx from ").append(base).append('\n')
          .append("extends: \"").append(relativeBase.toString().replace('\\', '/')).append("\"\n")
          .append("metadata:\n")
          .append("  name: ").append(name).append('\n')
          .append("  namePrefix: ").append(name).append('\n')
          .append("  labels:\n")
          .append("    ").append(DERIVED_FROM).append(": \"").append(relativeBase).append("\"\n");
      ttl.ifPresent(t -> yaml.append("    ").append(EXPIRES_AT).append(": \"")
          .append(now.plus(t)).append("\"\n"));
      Path temp = Files.createTempFile(directory, "." + name, ".tmp");
      Files.writeString(temp, yaml, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      EnvironmentSpec.parse(file); // the derived spec must be valid
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the spec of environment '" + name + "' in "
          + directory, e);
    }
  }

  /** The spec files in {@code directory} whose {@code edx.dev/expires-at} is before {@code now}. */
  public static List<Path> expired(Path directory, Instant now) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Path> result = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String expiresAt = EnvironmentSpec.parse(file).labels().get(EXPIRES_AT);
        if (expiresAt == null) {
          continue;
        }
        try {
          if (Instant.parse(expiresAt).isBefore(now)) {
            result.add(file);
          }
        } catch (DateTimeParseException e) {
          throw new ConfigurationException("metadata.labels." + EXPIRES_AT, -1, "Invalid"
              + " metadata.labels." + EXPIRES_AT + " (" + file + "): '" + expiresAt
              + "' is not an instant such as 2026-01-01T00:00:00Z", e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list environments in " + directory, e);
    }
    return List.copyOf(result);
  }
}
