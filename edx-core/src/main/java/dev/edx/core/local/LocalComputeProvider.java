package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Setting;
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
    return Setting.descriptors(LocalComputeProperties.class);
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
      return new Settings(LocalComputeProperties.THREADS.get(spec),
          LocalComputeProperties.MAX_LOG_BYTES.get(spec),
          LocalComputeProperties.SPARK_MASTER.get(spec));
    }
  }
}
