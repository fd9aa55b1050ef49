package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import dev.edx.core.EnvironmentSpec;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An environment spec that declares one data store, for a data store provider's tests: written
 * as YAML and read as a spec file is, so the provider's settings are checked as a user's are.
 * Secrets come from environment variables ({@code ${secret:wh/password}} reads {@code
 * EDX_SECRET_WH__PASSWORD}):
 *
 * <pre>{@code
 * EnvironmentSpec spec = DataStoreSpec.builder("events", "kafka")
 *     .setMetadata("{name: pr42, namePrefix: pr42}")
 *     .set("bootstrapServers", broker.bootstrapServers())
 *     .addYaml("topics: [{name: lab.events, partitions: 2}]")
 *     .build();
 * }</pre>
 *
 * <p>reads
 *
 * <pre>{@code
 * apiVersion: edx.dev/v1
 * kind: Environment
 * metadata: {name: pr42, namePrefix: pr42}
 * spec:
 *   secrets: {provider: env}
 *   datastores:
 *     events:
 *       provider: kafka
 *       bootstrapServers: "127.0.0.1:9092"
 *       topics: [{name: lab.events, partitions: 2}]
 * }</pre>
 */
public final class DataStoreSpec {
  private DataStoreSpec() {}

  /**
   * A spec of data store {@code store} of provider {@code provider}, in an environment named
   * {@code <store>-test} unless {@link Builder#setMetadata} says otherwise.
   */
  public static Builder builder(String store, String provider) {
    return new Builder(store, provider);
  }

  /** Builds the spec; {@link #build()} reads it, {@link #yaml()} shows it. */
  public static final class Builder {
    private final String store;
    private final String provider;
    private final List<String> entry = new ArrayList<>();
    private String metadata;

    private Builder(String store, String provider) {
      this.store = requireNonNull(store, "store is null");
      this.provider = requireNonNull(provider, "provider is null");
      this.metadata = "{name: " + store + "-test}";
    }

    /** The spec's {@code metadata}, as YAML: {@code {name: pr42, namePrefix: pr42}}. */
    public Builder setMetadata(String metadata) {
      this.metadata = requireNonNull(metadata, "metadata is null");
      return this;
    }

    /** A setting of the store's entry whose value is a string, written double-quoted. */
    public Builder set(String key, String value) {
      requireNonNull(key, "key is null");
      requireNonNull(value, "value is null");
      entry.add(key + ": " + quoted(value));
      return this;
    }

    /**
     * Lines of the store's entry, as YAML ({@code topics: [a, b]}, or several lines): written
     * after the settings added before, indented under the store.
     */
    public Builder addYaml(String yaml) {
      requireNonNull(yaml, "yaml is null");
      entry.addAll(yaml.lines().toList());
      return this;
    }

    /** The spec's text. */
    public String yaml() {
      StringBuilder yaml = new StringBuilder()
          .append("apiVersion: ").append(EnvironmentSpec.API_VERSION).append('\n')
          .append("kind: ").append(EnvironmentSpec.KIND).append('\n')
          .append("metadata: ").append(metadata).append('\n')
          .append("spec:\n")
          .append("  secrets: {provider: env}\n")
          .append("  datastores:\n")
          .append("    ").append(store).append(":\n")
          .append("      provider: ").append(provider).append('\n');
      for (String line : entry) {
        yaml.append("      ").append(line).append('\n');
      }
      return yaml.toString();
    }

    /**
     * The spec, read as {@link EnvironmentSpec#parse(java.io.Reader, String, Path)} reads a
     * file named {@code <store>.yaml} in the working folder.
     */
    public EnvironmentSpec build() {
      return EnvironmentSpec.parse(new StringReader(yaml()), store + ".yaml", Path.of("."));
    }

    private static String quoted(String value) {
      StringBuilder quoted = new StringBuilder("\"");
      for (char c : value.toCharArray()) {
        switch (c) {
          case '"' -> quoted.append("\\\"");
          case '\\' -> quoted.append("\\\\");
          case '\n' -> quoted.append("\\n");
          case '\t' -> quoted.append("\\t");
          default -> quoted.append(c);
        }
      }
      return quoted.append('"').toString();
    }
  }
}
