package dev.edx.gha.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.edx.gha.Hour;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Generates GH Archive-shaped hours, deterministically (the same hour and count always give the
 * same bytes): Events API lines (2015+) or, for hours before 2015, Timeline API lines (no id, the
 * actor a login with {@code actor_attributes}, {@code repository} with {@code owner}/{@code name},
 * {@code -07:00} offsets, as gharchive.org published them).
 */
public final class GhArchiveGenerator {
  private static final String[] TYPES = {"PushEvent", "PushEvent", "PushEvent", "PushEvent",
      "CreateEvent", "WatchEvent", "IssueCommentEvent", "IssuesEvent", "PullRequestEvent",
      "ForkEvent", "DeleteEvent", "PullRequestReviewCommentEvent"};
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");
  private static final DateTimeFormatter PACIFIC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private GhArchiveGenerator() {}

  /** The gzip file of {@code hour} with {@code events} events. */
  public static byte[] gzip(Hour hour, int events) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      write(hour, events, gz);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot generate " + hour, e);
    }
    return bytes.toByteArray();
  }

  /**
   * Writes {@code events} events shaped like a 2024 hour of the Events API (Events API lines with
   * full-size payloads: commits with 40-digit shas, authors and messages; pull requests and issues
   * with bodies, users and head/base repositories; about 1.3 KB of JSON and 0.27 KB of gzip per
   * event on average, as in real hours), deterministically from the hour. For benchmarks.
   */
  public static void writeModern(Hour hour, int events, OutputStream out) throws IOException {
    Random random = new Random(hour.instant().getEpochSecond() ^ 0x2024L);
    String[] words = new String[4096];
    for (int w = 0; w < words.length; w++) {
      char[] c = new char[2 + random.nextInt(9)];
      for (int k = 0; k < c.length; k++) {
        c[k] = (char) ('a' + random.nextInt(26));
      }
      words[w] = new String(c);
    }
    long baseId = 30_000_000_000L + (hour.instant().getEpochSecond() / 3600) * 1_000_000L;
    ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
    for (int i = 0; i < events; i++) {
      line.reset();
      try (JsonGenerator g = JSON.createGenerator(line)) {
        String type = TYPES[random.nextInt(TYPES.length)];
        int user = random.nextInt(Math.max(10, events / 3));
        int repo = random.nextInt(Math.max(10, events / 4));
        String login = "user" + user;
        String repoName = "owner" + (repo % 5000) + "/project" + repo;
        long second = (long) i * 3600 / Math.max(1, events);
        g.writeStartObject();
        g.writeStringField("id", Long.toString(baseId + i));
        g.writeStringField("type", type);
        actorAndRepo(g, user, login, repo, repoName);
        g.writeFieldName("payload");
        modernPayload(g, type, random, words, i, repoName, login);
        g.writeBooleanField("public", true);
        g.writeStringField("created_at", hour.start().plusSeconds(second)
            .atOffset(ZoneOffset.UTC).format(UTC));
        if (repo % 3 == 0) {
          g.writeObjectFieldStart("org");
          g.writeNumberField("id", 500 + repo % 5000);
          g.writeStringField("login", "owner" + (repo % 5000));
          g.writeStringField("gravatar_id", "");
          g.writeStringField("url", "https://api.github.com/orgs/owner" + (repo % 5000));
          g.writeStringField("avatar_url", "https://avatars.githubusercontent.com/u/"
              + (500 + repo % 5000) + "?");
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      line.write('\n');
      line.writeTo(out);
    }
  }

  private static String text(Random random, String[] words, int count) {
    StringBuilder sb = new StringBuilder(count * 7);
    for (int w = 0; w < count; w++) {
      sb.append(w == 0 ? "" : random.nextInt(12) == 0 ? ".\n" : " ")
          .append(words[random.nextInt(words.length)]);
    }
    return sb.toString();
  }

  private static String sha(Random random) {
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong())
        + hex.toHexDigits(random.nextInt());
  }

  private static void user(JsonGenerator g, String field, String login, int id)
      throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("login", login);
    g.writeNumberField("id", id);
    g.writeStringField("node_id", "MDQ6VXNlcj" + Integer.toString(id, 36));
    g.writeStringField("avatar_url", "https://avatars.githubusercontent.com/u/" + id + "?v=4");
    g.writeStringField("url", "https://api.github.com/users/" + login);
    g.writeStringField("html_url", "https://github.com/" + login);
    g.writeStringField("type", "User");
    g.writeBooleanField("site_admin", false);
    g.writeEndObject();
  }

  private static void modernPayload(JsonGenerator g, String type, Random random, String[] words,
      int i, String repoName, String login) throws IOException {
    g.writeStartObject();
    switch (type) {
      case "PushEvent" -> {
        int size = 1 + random.nextInt(2);
        g.writeNumberField("repository_id", 1_000_000 + i);
        g.writeNumberField("push_id", 19_000_000_000L + i);
        g.writeNumberField("size", size);
        g.writeNumberField("distinct_size", size);
        g.writeStringField("ref", "refs/heads/main");
        g.writeStringField("head", sha(random));
        g.writeStringField("before", sha(random));
        g.writeArrayFieldStart("commits");
        for (int c = 0; c < size; c++) {
          String sha = sha(random);
          g.writeStartObject();
          g.writeStringField("sha", sha);
          g.writeObjectFieldStart("author");
          g.writeStringField("email", login + "@users.noreply.github.com");
          g.writeStringField("name", words[random.nextInt(words.length)] + " "
              + words[random.nextInt(words.length)]);
          g.writeEndObject();
          g.writeStringField("message", text(random, words, 4 + random.nextInt(12)));
          g.writeBooleanField("distinct", true);
          g.writeStringField("url", "https://api.github.com/repos/" + repoName + "/commits/"
              + sha);
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      case "PullRequestEvent", "IssuesEvent", "IssueCommentEvent",
          "PullRequestReviewCommentEvent" -> {
        int number = 1 + random.nextInt(5000);
        boolean pr = type.startsWith("Pull");
        g.writeStringField("action", random.nextBoolean() ? "opened" : "closed");
        g.writeNumberField("number", number);
        g.writeObjectFieldStart(pr ? "pull_request" : "issue");
        g.writeStringField("url", "https://api.github.com/repos/" + repoName
            + (pr ? "/pulls/" : "/issues/") + number);
        g.writeNumberField("id", 1_700_000_000L + random.nextInt(100_000_000));
        g.writeStringField("html_url", "https://github.com/" + repoName
            + (pr ? "/pull/" : "/issues/") + number);
        g.writeStringField("title", text(random, words, 3 + random.nextInt(8)));
        user(g, "user", login, 10_000 + i % 1000);
        g.writeStringField("body", text(random, words, 20 + random.nextInt(90)));
        g.writeStringField("created_at", "2024-01-01T00:00:00Z");
        g.writeStringField("author_association", "CONTRIBUTOR");
        if (pr) {
          for (String side : new String[] {"head", "base"}) {
            g.writeObjectFieldStart(side);
            g.writeStringField("label", login + ":" + words[random.nextInt(words.length)]);
            g.writeStringField("ref", words[random.nextInt(words.length)]);
            g.writeStringField("sha", sha(random));
            g.writeEndObject();
          }
          g.writeNumberField("commits", 1 + random.nextInt(20));
          g.writeNumberField("additions", random.nextInt(2000));
          g.writeNumberField("deletions", random.nextInt(2000));
        }
        g.writeEndObject();
        if (type.endsWith("CommentEvent")) {
          g.writeObjectFieldStart("comment");
          g.writeNumberField("id", 1_800_000_000L + random.nextInt(100_000_000));
          user(g, "user", login, 10_000 + i % 1000);
          g.writeStringField("body", text(random, words, 10 + random.nextInt(60)));
          g.writeEndObject();
        }
      }
      case "WatchEvent" -> g.writeStringField("action", "started");
      case "CreateEvent", "DeleteEvent" -> {
        g.writeStringField("ref", words[random.nextInt(words.length)] + "-" + i);
        g.writeStringField("ref_type", "branch");
        g.writeStringField("master_branch", "main");
        g.writeStringField("description", text(random, words, random.nextInt(12)));
        g.writeStringField("pusher_type", "user");
      }
      case "ForkEvent" -> {
        g.writeObjectFieldStart("forkee");
        g.writeNumberField("id", 2_000_000 + i);
        g.writeStringField("name", "project" + i);
        g.writeStringField("full_name", login + "/project" + i);
        user(g, "owner", login, 10_000 + i % 1000);
        g.writeStringField("description", text(random, words, random.nextInt(15)));
        g.writeEndObject();
      }
      default -> { }
    }
    g.writeEndObject();
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
          actorAndRepo(g, user, login, repo, repoName);
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

  /** The Events API's {@code actor} and {@code repo} records of one event. */
  private static void actorAndRepo(JsonGenerator g, int user, String login, int repo,
      String repoName) throws IOException {
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
  }
}
