package dev.edx.cli;

import dev.edx.embedded.PlatformService;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service of the platform's process: runs {@code edx sql} and the pipeline's {@code edx gha}
 * steps for {@link PlatformClient}s, in the platform's warm JVM, so that a command costs a small
 * JVM and a socket instead of the whole command line's start, class loading and JIT. Loopback
 * only; a client proves it may read {@code platform.json} (owner only) by sending the token
 * written there. Its section there: {@code commands} ({@code port}, {@code token}).
 *
 * <p>Protocol (one command per connection, {@link DataOutputStream} encoding): the client sends
 * the token, its working directory, the argument count and the arguments; the server answers with
 * frames: {@code 'o'} or {@code 'e'} and a chunk of standard output or error, then {@code 'x'}
 * and the exit code. A client that closes its side of the connection (Ctrl-C) before the exit
 * code stops the command: its thread is interrupted.
 */
final class CommandServer implements PlatformService {
  static final String NAME = "commands";
  private static final Logger LOG = LoggerFactory.getLogger(CommandServer.class);

  private final ServerSocket socket;
  private final String token;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "edx-platform-command");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean closed = new AtomicBoolean();

  private CommandServer(ServerSocket socket, String token) {
    this.socket = socket;
    this.token = token;
  }

  /** The factory the platform's process starts it with. */
  static PlatformService.Factory factory() {
    return new PlatformService.Factory() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public PlatformService start(PlatformService.Context context) {
        return CommandServer.start();
      }
    };
  }

  static CommandServer start() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    try {
      ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      CommandServer server = new CommandServer(socket, HexFormat.of().formatHex(bytes));
      Thread accept = new Thread(server::accept, "edx-platform-commands");
      accept.setDaemon(true);
      accept.start();
      return server;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot open the platform's command port", e);
    }
  }

  private void accept() {
    while (!closed.get()) {
      try {
        Socket client = socket.accept();
        workers.execute(() -> serve(client));
      } catch (SocketException e) {
        return;
      } catch (IOException e) {
        LOG.warn("Cannot accept a command: {}", e.toString());
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        DataInputStream in = new DataInputStream(
            new BufferedInputStream(client.getInputStream()));
        DataOutputStream out = new DataOutputStream(
            new BufferedOutputStream(client.getOutputStream()))) {
      String given = in.readUTF();
      if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
          token.getBytes(StandardCharsets.UTF_8))) {
        return;
      }
      in.readUTF(); // The client's working directory: its paths arrive absolute already.
      int count = in.readInt();
      List<String> args = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        args.add(in.readUTF());
      }
      String what = String.join(" ", args.subList(0, Math.min(args.size(), args.size() > 1
          && args.get(0).equals("gha") ? 2 : 1)));
      Cancel cancel = new Cancel(Thread.currentThread(), what, in);
      int code;
      try (PrintWriter stdout = new PrintWriter(new FrameWriter('o', out), true);
          PrintWriter stderr = new PrintWriter(new FrameWriter('e', out), true)) {
        cancel.start();
        code = EdxMain.run(args.toArray(String[]::new), stdout, stderr);
      } finally {
        cancel.ended();
      }
      synchronized (out) {
        out.writeByte('x');
        out.writeInt(code);
        out.flush();
      }
    } catch (IOException e) {
      LOG.debug("A command's client went away: {}", e.toString());
    }
  }

  /**
   * Stops a command whose client went away: the client half-closes the connection on Ctrl-C (or
   * its process ends), which reads here as the end of the request; the command's thread is then
   * interrupted, which stops what it waits for (a job's await, a download) and the jobs it
   * submitted (closing its environment cancels them).
   */
  private static final class Cancel {
    private final Thread command;
    private final String what;
    private final DataInputStream in;
    private boolean running = true;
    private boolean cancelled;

    Cancel(Thread command, String what, DataInputStream in) {
      this.command = command;
      this.what = what;
      this.in = in;
    }

    void start() {
      Thread watch = new Thread(this::watch, "edx-platform-command-watch");
      watch.setDaemon(true);
      watch.start();
    }

    private void watch() {
      try {
        while (in.read() >= 0) {
          // The request has ended; nothing more is expected until the client closes.
        }
      } catch (IOException e) {
        // Closed: by the client (gone) or by the server (the command ended).
      }
      synchronized (this) {
        if (running) {
          cancelled = true;
          LOG.info("The client of `edx {}` went away (Ctrl-C?): stopping the command", what);
          command.interrupt();
        }
      }
    }

    /** The command returned: no interrupt from now on, and none left pending on this thread. */
    void ended() {
      synchronized (this) {
        running = false;
        Thread.interrupted();
        if (cancelled) {
          LOG.info("`edx {}` stopped after its client went away", what);
        }
      }
    }
  }

  /** Writes what it is given as frames of one kind. */
  private static final class FrameWriter extends Writer {
    private final char kind;
    private final DataOutputStream out;

    FrameWriter(char kind, DataOutputStream out) {
      this.kind = kind;
      this.out = out;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      for (int start = offset; start < offset + length; start += 8192) {
        String chunk = new String(chars, start, Math.min(8192, offset + length - start));
        synchronized (out) {
          out.writeByte(kind);
          out.writeUTF(chunk);
        }
      }
    }

    @Override
    public void flush() throws IOException {
      synchronized (out) {
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> contract() {
    Map<String, Object> contract = new LinkedHashMap<>();
    contract.put("port", socket.getLocalPort());
    contract.put("token", token);
    return contract;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("Cannot close the command port: {}", e.toString());
      }
      workers.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "CommandServer{127.0.0.1:" + socket.getLocalPort() + "}";
  }
}
