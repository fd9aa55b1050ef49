package dev.edx.gha.cli;

import java.util.List;

/**
 * The pipeline's commands for the {@code edx} command line (edx-cli adds them to its main
 * command): {@code demo}, {@code gha} and {@code sql}. They open environments through {@link
 * dev.edx.api.spi.EnvironmentFactory}, so they need only edx-api to compile.
 */
public final class GhaCommands {
  private GhaCommands() {}

  /** New instances of the commands, in the order {@code edx --help} lists them. */
  public static List<Object> create() {
    return List.of(new DemoCommand(), new GhaCommand(), new SqlCommand());
  }
}
