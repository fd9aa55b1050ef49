package dev.edx.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.edx.api.exceptions.ConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML or JSON document as plain maps, lists and scalars, with the line of every dotted
 * path ({@code spec.storage.buckets[1]}), so that errors can name the line. Duplicate keys are
 * errors. Not public API.
 */
final class SpecTree {
  private final Map<String, Object> root;
  private final Map<String, Integer> lines;
  private final Map<String, String> sources;

  private SpecTree(Map<String, Object> root, Map<String, Integer> lines,
      Map<String, String> sources) {
    this.root = root;
    this.lines = lines;
    this.sources = sources;
  }

  /** The file a path came from (a base spec's keys come from the base), or {@code fallback}. */
  String source(String path, String fallback) {
    return sources.getOrDefault(path, fallback);
  }

  Map<String, String> sources() {
    return sources;
  }

  /**
   * This tree laid over {@code base}: maps merge key by key, anything else in this tree replaces
   * the base's value, and a key set to null here removes the base's key. Lines and sources follow
   * each value to where it came from.
   */
  SpecTree over(SpecTree base) {
    Map<String, Integer> mergedLines = new LinkedHashMap<>(base.lines);
    Map<String, String> mergedSources = new LinkedHashMap<>(base.sources);
    Map<String, Object> merged = mergeMaps(base.root, root, "", mergedLines, mergedSources);
    return new SpecTree(merged, mergedLines, mergedSources);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> mergeMaps(Map<String, Object> base, Map<String, Object> overlay,
      String path, Map<String, Integer> mergedLines, Map<String, String> mergedSources) {
    Map<String, Object> result = new LinkedHashMap<>(base);
    for (Map.Entry<String, Object> e : overlay.entrySet()) {
      String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      Object baseValue = base.get(e.getKey());
      if (e.getValue() instanceof Map && baseValue instanceof Map) {
        result.put(e.getKey(), mergeMaps((Map<String, Object>) baseValue,
            (Map<String, Object>) e.getValue(), child, mergedLines, mergedSources));
        mergedLines.put(child, lines.get(child));
        mergedSources.put(child, sources.get(child));
        continue;
      }
      mergedLines.keySet().removeIf(p -> p.equals(child) || p.startsWith(child + ".")
          || p.startsWith(child + "["));
      mergedSources.keySet().removeIf(p -> p.equals(child) || p.startsWith(child + ".")
          || p.startsWith(child + "["));
      if (e.getValue() == null) {
        result.remove(e.getKey());
        continue;
      }
      result.put(e.getKey(), e.getValue());
      lines.forEach((p, line) -> {
        if (p.equals(child) || p.startsWith(child + ".") || p.startsWith(child + "[")) {
          mergedLines.put(p, line);
          mergedSources.put(p, sources.get(p));
        }
      });
    }
    return result;
  }

  Map<String, Object> root() {
    return root;
  }

  int line(String path) {
    Integer line = lines.get(path);
    return line == null ? -1 : line;
  }

  Map<String, Integer> lines() {
    return lines;
  }

  /** Parses YAML (a superset of JSON); a document that starts with '{' is read as JSON. */
  static SpecTree parse(Reader reader, String source) {
    Map<String, Integer> lines = new LinkedHashMap<>();
    try {
      String text = readAll(reader);
      JsonFactory factory = text.stripLeading().startsWith("{") ? new JsonFactory()
          : new YAMLFactory();
      try (JsonParser parser = factory.createParser(text)) {
        JsonToken first = parser.nextToken();
        if (first == null) {
          throw new ConfigurationException(null, -1,
              "Invalid environment spec " + source + ": it is empty", null);
        }
        if (first != JsonToken.START_OBJECT) {
          throw new ConfigurationException(null, line(parser),
              "Invalid environment spec " + source + " line " + line(parser)
                  + ": the document must be a map with apiVersion, kind, metadata and spec",
              null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) readValue(parser, "", lines, source);
        if (parser.nextToken() != null) {
          throw new ConfigurationException(null, line(parser), "Invalid environment spec "
              + source + " line " + line(parser) + ": more than one document", null);
        }
        Map<String, String> sources = new LinkedHashMap<>();
        lines.keySet().forEach(path -> sources.put(path, source));
        return new SpecTree(root, lines, sources);
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new ConfigurationException(null, line, "Cannot parse environment spec " + source
          + (line > 0 ? " line " + line : "") + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot read environment spec " + source + ": " + e, e);
    }
  }

  private static Object readValue(JsonParser parser, String path, Map<String, Integer> lines,
      String source) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          int line = line(parser);
          if (map.containsKey(name)) {
            throw new ConfigurationException(child, line, "Invalid " + child + " (" + source
                + " line " + line + "): duplicate key; it is already set on line "
                + lines.get(child), null);
          }
          lines.put(child, line);
          parser.nextToken();
          map.put(name, readValue(parser, child, lines, source));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          String child = path + "[" + index++ + "]";
          lines.put(child, line(parser));
          list.add(readValue(parser, child, lines, source));
        }
        return list;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.INT ? (Object) parser.getIntValue()
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new ConfigurationException(path, line(parser), "Invalid " + path + " (" + source
            + " line " + line(parser) + "): unexpected " + token, null);
    }
  }

  private static int line(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  private static String readAll(Reader reader) throws IOException {
    StringBuilder sb = new StringBuilder();
    char[] buffer = new char[8192];
    int n;
    while ((n = reader.read(buffer)) != -1) {
      sb.append(buffer, 0, n);
    }
    return sb.toString();
  }
}
