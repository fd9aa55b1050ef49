package dev.edx.provider.aws;

import static dev.edx.provider.aws.LocalJsonEndpoint.JSON;
import static dev.edx.provider.aws.LocalJsonEndpoint.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edx.provider.aws.LocalJsonEndpoint.AwsError;
import dev.edx.provider.aws.LocalJsonEndpoint.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The Secrets Manager calls edx makes, answered in Secrets Manager's JSON 1.1 protocol from memory,
 * for {@link LocalJsonEndpoint}: CreateSecret, GetSecretValue, PutSecretValue, DeleteSecret (with a
 * recovery window or forced), RestoreSecret, DescribeSecret, TagResource and ListSecrets (pages of
 * {@code MaxResults}, without secrets scheduled for deletion). Errors use the service's codes:
 * {@code ResourceNotFoundException}, {@code ResourceExistsException}, and {@code
 * InvalidRequestException} for a secret marked for deletion. A test double, not an emulator.
 */
final class LocalSecretsManager implements LocalJsonEndpoint.Handler {
  static final String ACCOUNT = "123456789012";

  private static final class Entry {
    String value;
    Double deletedDate;
    Map<String, String> tags = new LinkedHashMap<>();
    int versions;
  }

  private final Map<String, Entry> secrets = new TreeMap<>();

  /** Stores a secret directly, as another client would have. */
  synchronized void seed(String name, String json) {
    Entry e = new Entry();
    e.value = json;
    e.versions = 1;
    secrets.put(name, e);
  }

  synchronized boolean scheduledForDeletion(String name) {
    Entry e = secrets.get(name);
    return e != null && e.deletedDate != null;
  }

  synchronized Map<String, String> tags(String name) {
    return Map.copyOf(secrets.get(name).tags);
  }

  @Override
  public synchronized JsonNode handle(Request request) {
    JsonNode in = request.body();
    return switch (request.operation()) {
      case "CreateSecret" -> create(in);
      case "GetSecretValue" -> {
        String name = text(in, "SecretId");
        Entry e = live(name, "GetSecretValue");
        yield JSON.createObjectNode().put("ARN", arn(name)).put("Name", name)
            .put("VersionId", "v" + e.versions).put("SecretString", e.value)
            .put("CreatedDate", 1.7e9);
      }
      case "PutSecretValue" -> {
        String name = text(in, "SecretId");
        Entry e = live(name, "PutSecretValue");
        e.value = text(in, "SecretString");
        e.versions++;
        yield JSON.createObjectNode().put("ARN", arn(name)).put("Name", name)
            .put("VersionId", "v" + e.versions);
      }
      case "DeleteSecret" -> {
        String name = text(in, "SecretId");
        Entry e = live(name, "DeleteSecret");
        if (in.path("ForceDeleteWithoutRecovery").asBoolean(false)) {
          secrets.remove(name);
        } else {
          e.deletedDate = 1.8e9;
        }
        yield JSON.createObjectNode().put("ARN", arn(name)).put("Name", name)
            .put("DeletionDate", 1.8e9);
      }
      case "RestoreSecret" -> {
        String name = text(in, "SecretId");
        Entry e = secrets.get(name);
        if (e == null) {
          throw notFound();
        }
        e.deletedDate = null;
        yield JSON.createObjectNode().put("ARN", arn(name)).put("Name", name);
      }
      case "DescribeSecret" -> {
        String name = text(in, "SecretId");
        Entry e = secrets.get(name);
        if (e == null) {
          throw notFound();
        }
        ObjectNode out = JSON.createObjectNode().put("ARN", arn(name)).put("Name", name);
        if (e.deletedDate != null) {
          out.put("DeletedDate", e.deletedDate);
        }
        out.set("Tags", tags(e.tags));
        yield out;
      }
      case "TagResource" -> {
        Entry e = live(text(in, "SecretId"), "TagResource");
        in.path("Tags").forEach(t -> e.tags.put(text(t, "Key"), text(t, "Value")));
        yield JSON.createObjectNode();
      }
      case "ListSecrets" -> list(in);
      default -> throw new AwsError("UnknownOperationException", "not in this test double: "
          + request.operation());
    };
  }

  private JsonNode create(JsonNode in) {
    String name = text(in, "Name");
    Entry existing = secrets.get(name);
    if (existing != null && existing.deletedDate != null) {
      throw new AwsError("InvalidRequestException", "You can't create this secret because a"
          + " secret with this name is already scheduled for deletion.");
    }
    if (existing != null) {
      throw new AwsError("ResourceExistsException", "The operation failed because the secret "
          + name + " already exists.");
    }
    if (text(in, "ClientRequestToken") == null) {
      throw new AwsError("InvalidParameterException", "ClientRequestToken is required here");
    }
    Entry e = new Entry();
    e.value = text(in, "SecretString");
    e.versions = 1;
    in.path("Tags").forEach(t -> e.tags.put(text(t, "Key"), text(t, "Value")));
    secrets.put(name, e);
    return JSON.createObjectNode().put("ARN", arn(name)).put("Name", name).put("VersionId", "v1");
  }

  private JsonNode list(JsonNode in) {
    int max = in.path("MaxResults").asInt(100);
    if (max < 1 || max > 100) {
      throw new AwsError("InvalidParameterException", "MaxResults must be 1 to 100");
    }
    boolean includeDeleted = in.path("IncludePlannedDeletion").asBoolean(false);
    List<String> names = new ArrayList<>();
    secrets.forEach((name, e) -> {
      if (includeDeleted || e.deletedDate == null) {
        names.add(name);
      }
    });
    int start = in.hasNonNull("NextToken") ? Integer.parseInt(text(in, "NextToken")) : 0;
    ArrayNode page = JSON.createArrayNode();
    for (int i = start; i < Math.min(names.size(), start + max); i++) {
      String name = names.get(i);
      ObjectNode entry = page.addObject().put("ARN", arn(name)).put("Name", name);
      entry.set("Tags", tags(secrets.get(name).tags));
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("SecretList", page);
    if (start + max < names.size()) {
      out.put("NextToken", String.valueOf(start + max));
    }
    return out;
  }

  private Entry live(String name, String operation) {
    Entry e = secrets.get(name);
    if (e == null) {
      throw notFound();
    }
    if (e.deletedDate != null) {
      throw new AwsError("InvalidRequestException", "You can't perform this operation on the"
          + " secret because it was marked for deletion.");
    }
    return e;
  }

  private static AwsError notFound() {
    return new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified"
        + " secret.");
  }

  private static ArrayNode tags(Map<String, String> tags) {
    ArrayNode array = JSON.createArrayNode();
    tags.forEach((k, v) -> array.addObject().put("Key", k).put("Value", v));
    return array;
  }

  private static String arn(String name) {
    return "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:" + name + "-"
        + UUID.nameUUIDFromBytes(name.getBytes()).toString().substring(0, 6);
  }
}
