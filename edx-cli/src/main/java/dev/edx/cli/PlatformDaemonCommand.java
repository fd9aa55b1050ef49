package dev.edx.cli;

import dev.edx.embedded.Platform;
import dev.edx.embedded.PlatformService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The platform's process (hidden; {@code edx up} starts it): runs the {@link Platform} of a data
 * directory, with the {@link PlatformService.Factory}s on the class path (a Hive Metastore), until
 * SIGTERM ({@code edx down}), then stops it cleanly.
 */
@Command(name = PlatformDaemonCommand.NAME, hidden = true,
    description = "Run the embedded platform in the foreground (what `edx up` starts).")
final class PlatformDaemonCommand implements Callable<Integer> {
  static final String NAME = "platform-daemon";

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".edx/embedded",
      description = "The platform's data directory (default: ${DEFAULT-VALUE}).")
  Path dataDirectory;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    // Kafka's broker logs each step at INFO: the platform's log keeps its warnings only.
    for (String logger : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "warn");
      }
    }
    // The commands clients hand over, and those they stop (Ctrl-C), are worth a line each.
    String commands = "org.slf4j.simpleLogger.log." + CommandServer.class.getName();
    if (System.getProperty(commands) == null) {
      System.setProperty(commands, "info");
    }
    List<PlatformService.Factory> services = new ArrayList<>(factories());
    // Last, so that it serves commands once the platform's other services run.
    services.add(CommandServer.factory());
    // Progress lines, which edx up relays while it waits (PlatformControl.PROGRESS).
    Platform platform = Platform.start(dataDirectory, services, step -> {
      out.println(PlatformControl.PROGRESS + step);
      out.flush();
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        platform.close();
      } finally {
        stopped.countDown();
      }
    }, "edx-platform-stop"));
    out.println("edx platform ready (pid " + ProcessHandle.current().pid() + "): "
        + platform.info());
    out.flush();
    stopped.await();
    return 0;
  }

  /** The platform's services on this class path (the Hive Metastore; Kafka, optional). */
  static List<PlatformService.Factory> factories() {
    List<PlatformService.Factory> services = new ArrayList<>();
    ServiceLoader.load(PlatformService.Factory.class).forEach(services::add);
    return services;
  }
}
