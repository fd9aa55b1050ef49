package dev.edx.core;

import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.spi.ServiceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}}, {@code ${file:path}} and {@code ${secret:name/key}} in a service
 * spec's string values; {@code $${} is a literal {@code ${}. A key whose value came from a file or
 * a secret is marked sensitive, so it is masked wherever the spec is printed. An unresolvable
 * reference fails naming the key and its line, never the value of a secret. Not public API.
 */
final class References {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}");

  private final Function<String, Optional<String>> environmentVariables;
  private final Path baseDirectory;
  private final Secrets secrets; // null when the spec declares no secrets service

  References(Function<String, Optional<String>> environmentVariables, Path baseDirectory,
      Secrets secrets) {
    this.environmentVariables = environmentVariables;
    this.baseDirectory = baseDirectory;
    this.secrets = secrets;
  }

  ServiceSpec resolve(ServiceSpec spec) {
    ServiceSpec.Builder builder = spec.toBuilder();
    for (Map.Entry<String, Object> entry : spec.properties().entrySet()) {
      boolean[] sensitive = {false};
      Object resolved = resolveValue(spec, entry.getKey(), entry.getValue(), sensitive);
      builder.set(entry.getKey(), resolved);
      if (sensitive[0]) {
        builder.markSensitive(entry.getKey());
      }
    }
    return builder.build();
  }

  private Object resolveValue(ServiceSpec spec, String path, Object value, boolean[] sensitive) {
    if (value instanceof String s) {
      return resolveString(spec, path, s, sensitive);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((k, v) -> result.put(k.toString(),
          resolveValue(spec, path + "." + k, v, sensitive)));
      return result;
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        result.add(resolveValue(spec, path + "[" + i + "]", list.get(i), sensitive));
      }
      return result;
    }
    return value;
  }

  private String resolveString(ServiceSpec spec, String path, String value, boolean[] sensitive) {
    Matcher m = REFERENCE.matcher(value);
    if (!m.find()) {
      return value;
    }
    m.reset();
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$${")) {
        replacement = "${";
      } else {
        replacement = lookup(spec, path, m.group(1), sensitive);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String lookup(ServiceSpec spec, String path, String reference, boolean[] sensitive) {
    String shown = "${" + reference + "}";
    int colon = reference.indexOf(':');
    if (colon < 0) {
      throw spec.error(path, shown + " has no kind; write ${env:" + reference + "}, ${file:"
          + reference + "} or ${secret:name/key}");
    }
    String kind = reference.substring(0, colon);
    String argument = reference.substring(colon + 1).trim();
    if (argument.isEmpty()) {
      throw spec.error(path, shown + " names nothing after '" + kind + ":'");
    }
    switch (kind) {
      case "env":
        return environmentVariables.apply(argument).orElseThrow(() -> spec.error(path, shown
            + " cannot be resolved: environment variable " + argument + " is not set"));
      case "file": {
        sensitive[0] = true;
        Path file = baseDirectory.resolve(argument);
        try {
          return stripTrailingNewline(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw spec.error(path, shown + " cannot be resolved: cannot read " + file + " ("
              + e.getClass().getSimpleName() + ")", e);
        }
      }
      case "secret":
        sensitive[0] = true;
        return secret(spec, path, shown, argument);
      default:
        throw spec.error(path, shown + " has an unknown kind '" + kind
            + "'; use env, file or secret");
    }
  }

  private String secret(ServiceSpec spec, String path, String shown, String argument) {
    int slash = argument.indexOf('/');
    if (slash <= 0 || slash == argument.length() - 1 || argument.indexOf('/', slash + 1) >= 0) {
      throw spec.error(path, shown + " must name a secret and a key: ${secret:name/key}");
    }
    if (spec.service().equals("secrets")) {
      throw spec.error(path, shown + " cannot be used in spec.secrets: the secrets service"
          + " resolves ${secret:} references for the others; use ${env:} or ${file:} here");
    }
    if (secrets == null) {
      throw spec.error(path, shown + " cannot be resolved: the spec declares no secrets"
          + " service; add spec.secrets (for example provider: local)");
    }
    String name = argument.substring(0, slash);
    String key = argument.substring(slash + 1);
    Optional<Secret> secret;
    try {
      secret = secrets.get(name);
    } catch (IllegalArgumentException | EdxException e) {
      throw spec.error(path, shown + " cannot be resolved: " + e.getMessage(), e);
    }
    if (secret.isEmpty()) {
      throw spec.error(path, shown + " cannot be resolved: secret '" + name
          + "' does not exist; create it (existing secrets: " + secrets.list() + ")");
    }
    return secret.get().get(key).orElseThrow(() -> spec.error(path, shown
        + " cannot be resolved: secret '" + name + "' has no key '" + key + "' (it has "
        + secret.get().keys() + ")"));
  }

  private static String stripTrailingNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

}
