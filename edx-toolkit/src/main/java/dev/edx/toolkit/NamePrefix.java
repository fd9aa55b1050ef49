package dev.edx.toolkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * An environment's name prefix ({@code metadata.namePrefix}) and the one rule per kind of name
 * that turns a logical name, the one code and specs use, into the physical one the environment's
 * resources have. Without a prefix ({@link #NONE}) every physical name is the logical one.
 *
 * <table>
 *   <caption>The rules, for prefix {@code pr42}</caption>
 *   <tr><th>rule</th><th>names</th><th>example</th></tr>
 *   <tr><td>{@link #dashed}</td><td>buckets, secrets, Kubernetes namespaces</td>
 *       <td>{@code gha-raw} &rarr; {@code pr42-gha-raw}</td></tr>
 *   <tr><td>{@link #identifier}</td><td>metastore databases, relational schemas, MongoDB
 *       databases, Neo4j labels and constraint names</td>
 *       <td>{@code gha} &rarr; {@code pr42_gha}</td></tr>
 *   <tr><td>{@link #topic}</td><td>Kafka topics</td>
 *       <td>{@code gha.events} &rarr; {@code pr42.gha.events}</td></tr>
 * </table>
 *
 * <p>{@code identifier} writes the prefix's {@code -} as {@code _}, since SQL, Hive, MongoDB and
 * Cypher identifiers take no {@code -} unquoted; {@code topic} separates with {@code .}, Kafka's
 * namespace separator (prefixed ACLs on {@code pr42.} then cover the environment's topics).
 * Immutable.
 */
public final class NamePrefix {
  /** No prefix: physical names are the logical ones. */
  public static final NamePrefix NONE = new NamePrefix(null);

  private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?");

  private final String prefix;

  private NamePrefix(String prefix) {
    this.prefix = prefix;
  }

  /**
   * A prefix: at most 20 lowercase letters, digits and {@code -}, starting and ending with a
   * letter or digit.
   *
   * @throws ConfigurationException naming {@code metadata.namePrefix} when it breaks that rule
   */
  public static NamePrefix of(String prefix) {
    requireNonNull(prefix, "prefix is null");
    if (!PREFIX.matcher(prefix).matches()) {
      throw new ConfigurationException("metadata.namePrefix", -1, "Invalid metadata.namePrefix '"
          + prefix + "': use at most 20 lowercase letters, digits and '-'", null);
    }
    return new NamePrefix(prefix);
  }

  /** The prefix of the environment a provider creates a service for; {@link #NONE} without. */
  public static NamePrefix of(ProviderContext context) {
    return context.namePrefix().map(NamePrefix::of).orElse(NONE);
  }

  /** The prefix; empty for {@link #NONE}. */
  public Optional<String> value() {
    return Optional.ofNullable(prefix);
  }

  /** {@code pr42-gha-raw}: buckets, secrets, namespaces. */
  public String dashed(String logical) {
    requireNonNull(logical, "logical is null");
    return prefix == null ? logical : prefix + "-" + logical;
  }

  /**
   * {@code pr42_gha}: schemas and databases, labels. The logical name's case is kept; the prefix
   * is lowercase.
   */
  public String identifier(String logical) {
    requireNonNull(logical, "logical is null");
    return prefix == null ? logical : prefix.replace('-', '_') + "_" + logical;
  }

  /** {@code pr42.gha.events}: topics. */
  public String topic(String logical) {
    requireNonNull(logical, "logical is null");
    return prefix == null ? logical : prefix + "." + logical;
  }

  /**
   * Checks a physical name a rule made against the naming rule of its system, for the spec entry
   * that declared it. Without a prefix the logical name was already checked, so this passes.
   *
   * @param spec the data store's spec, for the error's key and line
   * @param path the entry's key: {@code schemas[0]}
   * @param kind what the name is, for the message: {@code schema}
   * @param physical the name the rule made
   * @param validate the system's naming rule: throws {@link IllegalArgumentException} stating it
   * @return {@code physical}
   * @throws ConfigurationException naming the entry, the prefix and the rule when it is invalid
   */
  public String check(ServiceSpec spec, String path, String kind, String physical,
      Consumer<String> validate) {
    if (prefix != null) {
      try {
        validate.accept(physical);
      } catch (IllegalArgumentException e) {
        throw spec.error(path, "with metadata.namePrefix '" + prefix + "' its physical " + kind
            + " name is '" + physical + "', which is not valid: " + e.getMessage()
            + "; shorten the name or the prefix", e);
      }
    }
    return physical;
  }

  /**
   * Declared resources (read from spec key {@code key}) with their physical names: each name
   * made by {@code rule} and checked by {@code validate} as {@link #check} does.
   */
  public List<DeclaredResource> physical(ServiceSpec spec, String key, String kind,
      List<DeclaredResource> declared, UnaryOperator<String> rule, Consumer<String> validate) {
    List<DeclaredResource> result = new ArrayList<>();
    for (int i = 0; i < declared.size(); i++) {
      DeclaredResource d = declared.get(i);
      result.add(new DeclaredResource(check(spec, key + "[" + i + "]", kind, rule.apply(d.name()),
          validate), d.adopt()));
    }
    return List.copyOf(result);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamePrefix other && java.util.Objects.equals(prefix, other.prefix);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(prefix);
  }

  @Override
  public String toString() {
    return prefix == null ? "NamePrefix[none]" : "NamePrefix[" + prefix + "]";
  }
}
