package dev.edx.cli;

import dev.edx.api.Environment;
import dev.edx.embedded.EmbeddedEnvironments;
import java.nio.file.Path;

/**
 * A process that opens the embedded environment of a data directory (starting its own servers,
 * as an edx command without a platform does), says "open", and closes it when its standard input
 * ends. For {@link PlatformTest}'s busy data directory.
 */
public final class HoldDataDirectory {
  private HoldDataDirectory() {}

  public static void main(String[] args) throws Exception {
    try (Environment env = EmbeddedEnvironments.openPersistent(Path.of(args[0]))) {
      System.out.println("open " + env.name());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Wait for the test to close our standard input.
      }
    }
  }
}
