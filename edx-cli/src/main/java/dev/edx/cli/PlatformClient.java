package dev.edx.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fast path of {@code edx sql} and of the pipeline's {@code edx gha convert|ingest|tables|run}
 * while a platform runs on their data directory: before the command line loads anything, hands
 * the command to the platform's {@link CommandServer} and relays its output, so the command runs
 * in the platform's warm JVM (no JVM start, class loading or JIT of the command each time). Uses
 * the JDK alone. When there is no platform (or it cannot be reached) the command runs as usual,
 * in this process. Ctrl-C (SIGINT, SIGTERM) here stops the command there: this process half-closes
 * the connection, the server interrupts the command, and this process relays its last lines
 * before it ends.
 */
final class PlatformClient {
  private static final Pattern COMMANDS = Pattern.compile(
      "\"commands\"\\s*:\\s*\\{\\s*\"port\"\\s*:\\s*(\\d+)\\s*,\\s*\"token\"\\s*:\\s*\"(\\w+)\"");
  private static final String DEFAULT_DATA_DIR = ".edx/embedded";
  /** The pipeline's steps that run on the platform (export and publish run here). */
  static final Set<String> GHA_STEPS = Set.of("convert", "ingest", "tables", "run");
  /** Options whose value is a local path, made absolute here (the platform has its own cwd). */
  private static final Set<String> PATH_OPTIONS = Set.of("--source", "--tables", "--report");
  /** How long Ctrl-C waits for the platform to stop the command and send its last lines. */
  private static final long CANCEL_WAIT_SECONDS = 15;

  private PlatformClient() {}

  /**
   * The arguments to run on the platform when {@code args} are an {@code sql} command or a {@link
   * #GHA_STEPS gha step} without {@code --env} (and without {@code --debug}, help, an
   * {@code @file} or {@code --engine spark}), with {@code --data-dir} and local paths made
   * absolute against {@code workingDirectory}; empty to run the command here.
   */
  static Optional<List<String>> forwardable(String[] args, Path workingDirectory) {
    int first;
    if (args.length >= 2 && args[0].equals("sql")) {
      first = 1;
    } else if (args.length >= 2 && args[0].equals("gha") && GHA_STEPS.contains(args[1])) {
      first = 2;
    } else {
      return Optional.empty();
    }
    List<String> forwarded = new ArrayList<>(List.of(args).subList(0, first));
    Path dataDir = Path.of(DEFAULT_DATA_DIR);
    for (int i = first; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--env") || arg.startsWith("--env=") || arg.equals("--debug")
          || arg.equals("-h") || arg.equals("--help") || arg.equals("-V")
          || arg.equals("--version") || arg.startsWith("@")) {
        return Optional.empty();
      }
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
      boolean inline = !name.equals(arg);
      if (!inline && (name.equals("--data-dir") || name.equals("--engine")
          || PATH_OPTIONS.contains(name)) && i + 1 >= args.length) {
        forwarded.add(arg); // A missing value: the command's own usage error, on the platform.
        continue;
      }
      String value = inline ? arg.substring(eq + 1) : i + 1 < args.length ? args[i + 1] : "";
      if (name.equals("--engine")) {
        if (!value.equals("java")) {
          return Optional.empty(); // Spark jobs start from this process, as they always did.
        }
      } else if (name.equals("--data-dir")) {
        dataDir = workingDirectory.resolve(value);
        i += inline ? 0 : 1;
        continue;
      } else if (PATH_OPTIONS.contains(name) && first == 2) {
        forwarded.add(name);
        forwarded.add(value.startsWith("http://") || value.startsWith("https://") ? value
            : workingDirectory.resolve(value).normalize().toString());
        i += inline ? 0 : 1;
        continue;
      }
      if (arg.equals("--")) {
        forwarded.addAll(List.of(args).subList(i, args.length));
        break;
      }
      forwarded.add(arg);
    }
    forwarded.addAll(first, List.of("--data-dir",
        workingDirectory.resolve(dataDir).toAbsolutePath().normalize().toString()));
    return Optional.of(forwarded);
  }

  /**
   * Runs {@code args} on the platform when they are {@link #forwardable} and a platform with a
   * command port runs on their data directory; returns the exit code, or empty to run the command
   * here.
   */
  static OptionalInt forward(String[] args, PrintStream out, PrintStream err) {
    Optional<List<String>> command = forwardable(args, Path.of("").toAbsolutePath());
    if (command.isEmpty()) {
      return OptionalInt.empty();
    }
    List<String> forwarded = command.get();
    Path dir = Path.of(forwarded.get(forwarded.indexOf("--data-dir") + 1));
    Matcher m;
    try {
      m = COMMANDS.matcher(Files.readString(dir.resolve("platform.json"),
          StandardCharsets.UTF_8));
    } catch (IOException | SecurityException e) {
      return OptionalInt.empty();
    }
    if (!m.find()) {
      return OptionalInt.empty();
    }
    int port = Integer.parseInt(m.group(1));
    boolean any = false;
    AtomicBoolean ended = new AtomicBoolean();
    CountDownLatch relayed = new CountDownLatch(1);
    Thread cancel = null;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      DataOutputStream request = new DataOutputStream(new BufferedOutputStream(
          socket.getOutputStream()));
      request.writeUTF(m.group(2));
      request.writeUTF(Path.of("").toAbsolutePath().toString());
      request.writeInt(forwarded.size());
      for (String arg : forwarded) {
        request.writeUTF(arg);
      }
      request.flush();
      // Ctrl-C: end the request (the server then stops the command) and relay what it says last.
      cancel = new Thread(() -> {
        if (ended.get()) {
          return;
        }
        try {
          socket.shutdownOutput();
          relayed.await(CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
          // Gone already, or stopped waiting: this process ends either way.
        }
      }, "edx-platform-cancel");
      Runtime.getRuntime().addShutdownHook(cancel);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      while (true) {
        int kind;
        try {
          kind = in.readUnsignedByte();
        } catch (EOFException e) {
          // Ended without an exit code: before any output, run here; after, it failed.
          if (!any) {
            return OptionalInt.empty();
          }
          err.println("edx: the platform's process ended the command early (see "
              + dir.resolve(PlatformControl.LOG) + ")");
          return OptionalInt.of(1);
        }
        any = true;
        switch (kind) {
          case 'o' -> out.print(in.readUTF());
          case 'e' -> err.print(in.readUTF());
          case 'x' -> {
            out.flush();
            err.flush();
            return OptionalInt.of(in.readInt());
          }
          default -> throw new IOException("unexpected frame " + kind);
        }
      }
    } catch (IOException e) {
      if (!any) {
        return OptionalInt.empty();
      }
      err.println("edx: lost the platform's process during the command: " + e.getMessage());
      return OptionalInt.of(1);
    } finally {
      ended.set(true);
      relayed.countDown();
      if (cancel != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(cancel);
        } catch (IllegalStateException e) {
          // Shutting down (Ctrl-C): the hook runs, sees the command ended and returns.
        }
      }
    }
  }
}
