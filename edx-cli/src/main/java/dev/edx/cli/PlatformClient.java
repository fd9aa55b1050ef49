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
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fast path of {@code edx sql} while a platform runs on its data directory: before the
 * command line loads anything, hands the command to the platform's {@link CommandServer} and
 * relays its output, so the query runs in the platform's warm JVM. Uses the JDK alone. When
 * there is no platform (or it cannot be reached) the command runs as usual, in this process.
 */
final class PlatformClient {
  private static final Pattern COMMANDS = Pattern.compile(
      "\"commands\"\\s*:\\s*\\{\\s*\"port\"\\s*:\\s*(\\d+)\\s*,\\s*\"token\"\\s*:\\s*\"(\\w+)\"");
  private static final String DEFAULT_DATA_DIR = ".edx/embedded";

  private PlatformClient() {}

  /**
   * Runs {@code args} on the platform when they are an {@code sql} command without {@code --env}
   * (and without {@code --debug} or help) and a platform with a command port runs on its data
   * directory; returns the exit code, or empty to run the command here.
   */
  static OptionalInt forward(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2 || !args[0].equals("sql")) {
      return OptionalInt.empty();
    }
    List<String> forwarded = new ArrayList<>(List.of("sql"));
    Path dataDir = Path.of(DEFAULT_DATA_DIR);
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--env") || arg.startsWith("--env=") || arg.equals("--debug")
          || arg.equals("-h") || arg.equals("--help") || arg.equals("-V")
          || arg.equals("--version") || arg.startsWith("@")) {
        return OptionalInt.empty();
      }
      if (arg.equals("--data-dir") && i + 1 < args.length) {
        dataDir = Path.of(args[++i]);
        continue;
      }
      if (arg.startsWith("--data-dir=")) {
        dataDir = Path.of(arg.substring("--data-dir=".length()));
        continue;
      }
      if (arg.equals("--")) {
        forwarded.addAll(List.of(args).subList(i, args.length));
        break;
      }
      forwarded.add(arg);
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    forwarded.addAll(1, List.of("--data-dir", dir.toString()));
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
    }
  }
}
