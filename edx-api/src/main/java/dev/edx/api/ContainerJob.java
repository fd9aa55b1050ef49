package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A container: an image, a command and its environment. The local provider runs the command as a
 * local process (the image is not used there).
 *
 * @param name a short name for ids and logs
 * @param image the container image
 * @param command the command and its arguments; not empty
 * @param env environment variables
 */
public record ContainerJob(String name, String image, List<String> command, Map<String, String> env)
    implements JobSpec {
  public ContainerJob {
    requireNonNull(name, "name is null");
    requireNonNull(image, "image is null");
    command = List.copyOf(requireNonNull(command, "command is null"));
    env = Map.copyOf(requireNonNull(env, "env is null"));
    if (name.isBlank()) {
      throw new IllegalArgumentException("ContainerJob name is blank");
    }
    if (command.isEmpty()) {
      throw new IllegalArgumentException("ContainerJob '" + name + "' has an empty command");
    }
  }
}
