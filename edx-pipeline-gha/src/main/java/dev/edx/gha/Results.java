package dev.edx.gha;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** Reads and writes the JSON result objects through which tasks report to the main. */
public final class Results {
  public static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Results() {}

  public static void write(ObjectStorage storage, ObjectRef ref, Object value) {
    try {
      storage.put(ref, JSON.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write result " + ref, e);
    }
  }

  static List<HourResult> readHours(ObjectStorage storage, ObjectRef ref) {
    if (storage.stat(ref).isEmpty()) {
      return List.of();
    }
    try {
      return JSON.readValue(storage.readAllBytes(ref), new TypeReference<List<HourResult>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read result " + ref, e);
    }
  }

  public static <T> Optional<T> read(ObjectStorage storage, ObjectRef ref, Class<T> type) {
    if (storage.stat(ref).isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(storage.readAllBytes(ref), type));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + ref, e);
    }
  }

  /** {@code bucket/key} as a ref. */
  public static ObjectRef ref(String bucketSlashKey) {
    int slash = bucketSlashKey.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("Invalid object reference '" + bucketSlashKey
          + "': use bucket/key");
    }
    return ObjectRef.of(bucketSlashKey.substring(0, slash), bucketSlashKey.substring(slash + 1));
  }
}
