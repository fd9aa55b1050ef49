package dev.edx.core.local;

import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Setting;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Reads folder settings of the local providers. */
final class LocalPaths {
  private LocalPaths() {}

  /**
   * A required folder setting; a relative path resolves against the context's base directory. The
   * folder need not exist yet, but must not be a file.
   */
  static Path requireFolder(ServiceSpec spec, Setting<String> setting, ProviderContext context) {
    String key = setting.key();
    String value = setting.get(spec);
    Path path;
    try {
      path = Path.of(value.trim());
    } catch (InvalidPathException e) {
      throw spec.error(key, "is not a valid path: " + e.getReason(), e);
    }
    if (!path.isAbsolute()) {
      path = context.baseDirectory().resolve(path);
    }
    path = path.toAbsolutePath().normalize();
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw spec.error(key, "must be a folder, but " + path + " is a file");
    }
    return path;
  }
}
