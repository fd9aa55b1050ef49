package dev.edx.core.internal;

import dev.edx.api.ObjectRef;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import java.nio.charset.StandardCharsets;

/**
 * The task {@code edx doctor} submits: it reports progress and writes an object through the
 * environment it runs in, proving that tasks reach storage wherever compute runs them. Not public
 * API. It lives in edx-core, not in the command line, because a task must be on the class path of
 * wherever compute runs it: edx-core is in every runner image.
 */
public final class DoctorTask implements Task {

  @Override
  public void run(TaskContext context) {
    ObjectRef ref = ObjectRef.of(context.param("bucket"), context.param("key"));
    context.progress(0, 1, "writing " + ref);
    context.environment().storage()
        .put(ref, ("written by job " + context.jobId()).getBytes(StandardCharsets.UTF_8));
    context.progress(1, 1, "wrote " + ref);
  }
}
