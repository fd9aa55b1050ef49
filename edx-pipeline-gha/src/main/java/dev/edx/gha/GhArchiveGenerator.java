package dev.edx.gha;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Generates GH Archive-shaped hours, deterministically (the same hour and count always give the
 * same bytes): Events API lines (2015+) or, for hours before 2015, Timeline API lines (no id, the
 * actor a login with {@code actor_attributes}, {@code repository} with {@code owner}/{@code name},
 * {@code -07:00} offsets, as gharchive.org published them).
 */
final class GhArchiveGenerator {
  private static final String[] TYPES = {"PushEvent", "PushEvent", "PushEvent", "PushEvent",
      "CreateEvent", "WatchEvent", "IssueCommentEvent", "IssuesEvent", "PullRequestEvent",
      "ForkEvent", "DeleteEvent", "PullRequestReviewCommentEvent"};
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");
  private static final DateTimeFormatter PACIFIC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private GhArchiveGenerator() {}

  /** The gzip file of {@code hour} with {@code events} events. */
  static byte[] gzip(Hour hour, int events) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      write(hour, events, gz);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot generate " + hour, e);
    }
    return bytes.toByteArray();
  }

  /** Writes the lines of {@code hour}, one JSON event per line. */
  static void write(Hour hour, int events, OutputStream out) throws IOException {
    Random random = new Random(hour.instant().getEpochSecond());
    boolean timeline = hour.year() < 2015;
    long baseId = 2_489_000_000L + (hour.instant().getEpochSecond() / 3600) * 100_000L;
    for (int i = 0; i < events; i++) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(512);
      try (JsonGenerator g = JSON.createGenerator(line)) {
        String type = TYPES[random.nextInt(TYPES.length)];
        int user = random.nextInt(Math.max(10, events / 3));
        int repo = random.nextInt(Math.max(10, events / 4));
        String login = "user" + user;
        String repoName = "owner" + (repo % 50) + "/project" + repo;
        long second = (long) i * 3600 / Math.max(1, events);
        g.writeStartObject();
        if (timeline) {
          g.writeStringField("created_at", hour.start().plusSeconds(second)
              .atOffset(ZoneOffset.ofHours(-7)).format(PACIFIC));
          g.writeFieldName("payload");
          payload(g, type, random, i);
          g.writeBooleanField("public", true);
          g.writeStringField("type", type);
          g.writeStringField("url", "https://github.com/" + repoName);
          g.writeStringField("actor", login);
          g.writeObjectFieldStart("actor_attributes");
          g.writeStringField("login", login);
          g.writeStringField("type", "User");
          g.writeStringField("gravatar_id", Integer.toHexString(user * 7919));
          g.writeStringField("name", "User " + user);
          g.writeEndObject();
          g.writeObjectFieldStart("repository");
          g.writeNumberField("id", 1_000_000 + repo);
          g.writeStringField("name", "project" + repo);
          g.writeStringField("url", "https://github.com/" + repoName);
          g.writeStringField("owner", "owner" + (repo % 50));
          g.writeNumberField("watchers", repo % 97);
          g.writeBooleanField("fork", false);
          if (repo % 5 == 0) {
            g.writeStringField("organization", "owner" + (repo % 50));
          }
          g.writeEndObject();
        } else {
          g.writeStringField("id", Long.toString(baseId + i));
          g.writeStringField("type", type);
          g.writeObjectFieldStart("actor");
          g.writeNumberField("id", 10_000 + user);
          g.writeStringField("login", login);
          g.writeStringField("display_login", login);
          g.writeStringField("gravatar_id", "");
          g.writeStringField("url", "https://api.github.com/users/" + login);
          g.writeStringField("avatar_url", "https://avatars.githubusercontent.com/u/"
              + (10_000 + user) + "?");
          g.writeEndObject();
          g.writeObjectFieldStart("repo");
          g.writeNumberField("id", 1_000_000 + repo);
          g.writeStringField("name", repoName);
          g.writeStringField("url", "https://api.github.com/repos/" + repoName);
          g.writeEndObject();
          g.writeFieldName("payload");
          payload(g, type, random, i);
          g.writeBooleanField("public", true);
          g.writeStringField("created_at", hour.start().plusSeconds(second)
              .atOffset(ZoneOffset.UTC).format(UTC));
          if (repo % 5 == 0) {
            g.writeObjectFieldStart("org");
            g.writeNumberField("id", 500 + repo % 50);
            g.writeStringField("login", "owner" + (repo % 50));
            g.writeStringField("gravatar_id", "");
            g.writeStringField("url", "https://api.github.com/orgs/owner" + (repo % 50));
            g.writeStringField("avatar_url", "https://avatars.githubusercontent.com/u/"
                + (500 + repo % 50) + "?");
            g.writeEndObject();
          }
        }
        g.writeEndObject();
      }
      line.write('\n');
      line.writeTo(out);
    }
  }

  private static void payload(JsonGenerator g, String type, Random random, int i)
      throws IOException {
    g.writeStartObject();
    switch (type) {
      case "PushEvent" -> {
        int size = 1 + random.nextInt(3);
        g.writeNumberField("push_id", 536_000_000L + i);
        g.writeNumberField("size", size);
        g.writeNumberField("distinct_size", size);
        g.writeStringField("ref", "refs/heads/master");
        g.writeArrayFieldStart("commits");
        for (int c = 0; c < size; c++) {
          g.writeStartObject();
          g.writeStringField("sha", Long.toHexString(random.nextLong()));
          g.writeStringField("message", "Commit " + c + " of push " + i);
          g.writeBooleanField("distinct", true);
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      case "PullRequestEvent" -> {
        boolean opened = random.nextBoolean();
        g.writeStringField("action", opened ? "opened" : "closed");
        g.writeNumberField("number", 1 + random.nextInt(500));
        g.writeObjectFieldStart("pull_request");
        g.writeStringField("title", "Change " + i);
        g.writeBooleanField("merged", !opened && random.nextBoolean());
        g.writeEndObject();
      }
      case "IssuesEvent" -> {
        g.writeStringField("action", random.nextBoolean() ? "opened" : "closed");
        g.writeObjectFieldStart("issue");
        g.writeNumberField("number", 1 + random.nextInt(500));
        g.writeStringField("title", "Issue " + i);
        g.writeEndObject();
      }
      case "IssueCommentEvent", "PullRequestReviewCommentEvent" -> {
        g.writeStringField("action", "created");
        g.writeObjectFieldStart("comment");
        g.writeStringField("body", "Looks good (" + i + ")");
        g.writeEndObject();
      }
      case "WatchEvent" -> g.writeStringField("action", "started");
      case "CreateEvent", "DeleteEvent" -> {
        g.writeStringField("ref", "feature-" + i);
        g.writeStringField("ref_type", "branch");
      }
      case "ForkEvent" -> {
        g.writeObjectFieldStart("forkee");
        g.writeNumberField("id", 2_000_000 + i);
        g.writeEndObject();
      }
      default -> { }
    }
    g.writeEndObject();
  }
}
