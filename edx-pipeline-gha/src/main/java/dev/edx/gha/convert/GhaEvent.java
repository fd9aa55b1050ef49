package dev.edx.gha.convert;

import static java.util.Objects.requireNonNull;

import dev.edx.gha.Hour;
import java.time.Instant;

/**
 * One event in the lake schema: the columns of gharchive's BigQuery tables plus the partition
 * columns of the hour whose file it came from. Nullable fields are null when the source had no
 * value.
 *
 * @param id the event id (Events API) or a derived id for Timeline events (see the module README)
 * @param payload the payload as compact JSON text, in UTF-8
 * @param other the top-level fields outside the BigQuery schema, as a JSON object text
 */
record GhaEvent(String id, String type, Boolean isPublic, byte[] payload, Repo repo, Actor actor,
    Org org, Instant createdAt, String other, Hour hour) {

  GhaEvent {
    requireNonNull(id, "id is null");
    requireNonNull(type, "type is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(hour, "hour is null");
  }

  record Repo(Long id, String name, String url) {}

  record Actor(Long id, String login, String displayLogin, String gravatarId, String avatarUrl,
      String url) {}

  record Org(Long id, String login, String gravatarId, String avatarUrl, String url) {}
}
