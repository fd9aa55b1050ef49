package dev.edx.core.local;

import dev.edx.api.Task;
import dev.edx.api.TaskContext;

/** Tasks for the local compute tests; public so the compute can load them by name. */
public final class TestTasks {
  private TestTasks() {}

  /** Logs {@code sleeping}, then sleeps {@code millis} (default a minute). */
  public static final class Sleep implements Task {
    @Override
    public void run(TaskContext context) throws InterruptedException {
      context.log("sleeping");
      Thread.sleep(Long.parseLong(context.params().getOrDefault("millis", "60000")));
    }
  }

  /** Has no no-argument constructor. */
  public static final class NoDefaultConstructor implements Task {
    public NoDefaultConstructor(String unused) {}

    @Override
    public void run(TaskContext context) {}
  }
}
