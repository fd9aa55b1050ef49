package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a data directory remembers of how its platform runs ({@code <dir>/platform-options.json},
 * kept when the platform stops): {@code with}, the optional {@link PlatformService}s it starts
 * beside the S3 endpoint and PostgreSQL ({@code edx up --with kafka}), so that the next {@code
 * edx up}, {@code edx status} and {@code edx down} on the directory know them.
 *
 * @param with the names of the optional services to start ({@link PlatformService.Factory#name})
 */
public record PlatformOptions(Set<String> with) {
  /** The file's name in the data directory. */
  public static final String FILE = "platform-options.json";

  public PlatformOptions {
    with = Set.copyOf(new TreeSet<>(requireNonNull(with, "with is null")));
  }

  /** No optional service. */
  public static PlatformOptions none() {
    return new PlatformOptions(Set.of());
  }

  /** What {@code directory} remembers; {@link #none()} when it remembers nothing. */
  public static PlatformOptions read(Path directory) {
    Path file = directory.resolve(FILE);
    if (!Files.exists(file)) {
      return none();
    }
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      Set<String> with = new TreeSet<>();
      JsonNode names = root.path("with");
      if (!names.isMissingNode() && !names.isArray()) {
        throw new IllegalStateException("Cannot read " + file + ": 'with' is not a list of"
            + " service names; fix or delete the file");
      }
      names.forEach(n -> with.add(n.asText()));
      return new PlatformOptions(with);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage()
          + "; fix or delete the file", e);
    }
  }

  /** Writes these options to {@code directory} (created if missing). */
  public void write(Path directory) {
    Path file = directory.resolve(FILE);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("with", new TreeSet<>(with));
    try {
      Files.createDirectories(directory);
      Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(root) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** {@code "with kafka"}, or {@code ""} without optional services. */
  public String describe() {
    return with.isEmpty() ? "" : "with " + String.join(", ", new TreeSet<>(with));
  }
}
