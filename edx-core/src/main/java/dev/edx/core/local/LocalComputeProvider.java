package dev.edx.core.local;

import dev.edx.toolkit.Specs;
import static dev.edx.core.local.LocalComputeProperties.KEYS;
import static dev.edx.core.local.LocalComputeProperties.MAX_LOG_BYTES;
import static dev.edx.core.local.LocalComputeProperties.MAX_LOG_BYTES_DEFAULT;
import static dev.edx.core.local.LocalComputeProperties.SPARK_MASTER;
import static dev.edx.core.local.LocalComputeProperties.SPARK_MASTER_DEFAULT;
import static dev.edx.core.local.LocalComputeProperties.THREADS;
import static dev.edx.core.local.LocalComputeProperties.THREADS_DEFAULT;
import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import java.util.List;

/**
 * The {@code local} compute provider: builds a {@link LocalCompute}. Settings: {@code threads}
 * (default 2, at least 1), {@code maxLogBytes} (default 1 MiB per job) and {@code sparkMaster}
 * (default {@code local[*]}).
 */
public final class LocalComputeProvider implements ComputeProvider {

  @Override
  public String name() {
    return "local";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return List.of(
        PropertyDescriptor.optional(LocalComputeProperties.THREADS, PropertyDescriptor.Type.INTEGER,
            String.valueOf(LocalComputeProperties.THREADS_DEFAULT),
            "Jobs that run at once; more wait in PENDING."),
        PropertyDescriptor.optional(LocalComputeProperties.MAX_LOG_BYTES,
            PropertyDescriptor.Type.INTEGER,
            String.valueOf(LocalComputeProperties.MAX_LOG_BYTES_DEFAULT),
            "Bytes of each job's log kept in memory."),
        PropertyDescriptor.optional(LocalComputeProperties.SPARK_MASTER,
            PropertyDescriptor.Type.STRING, LocalComputeProperties.SPARK_MASTER_DEFAULT,
            "The --master given to spark-submit."));
  }

  @Override
  public Compute create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Settings settings = Settings.from(spec);
    return new LocalCompute(settings.threads(), settings.maxLogBytes(), settings.sparkMaster(),
        context.classLoader(), context::environmentVariable, context::environment);
  }

  /** The typed settings of a {@code local} compute spec. */
  record Settings(int threads, long maxLogBytes, String sparkMaster) {
    Settings {
      requireNonNull(sparkMaster, "sparkMaster is null");
    }

    static Settings from(ServiceSpec spec) {
      Specs.requireOnlyKeys(spec, KEYS);
      int threads = Specs.getInt(spec, THREADS, THREADS_DEFAULT, 1);
      long maxLogBytes = Specs.getLong(spec, MAX_LOG_BYTES).orElse(MAX_LOG_BYTES_DEFAULT);
      if (maxLogBytes < 1 || maxLogBytes > Integer.MAX_VALUE - 8) {
        throw spec.error(MAX_LOG_BYTES,
            "must be between 1 and " + (Integer.MAX_VALUE - 8) + ", not " + maxLogBytes);
      }
      String sparkMaster = Specs.getString(spec, SPARK_MASTER, SPARK_MASTER_DEFAULT);
      if (sparkMaster.isBlank()) {
        throw spec.error(SPARK_MASTER, "must not be blank; use local[*] or a master URL");
      }
      return new Settings(threads, maxLogBytes, sparkMaster);
    }
  }
}
