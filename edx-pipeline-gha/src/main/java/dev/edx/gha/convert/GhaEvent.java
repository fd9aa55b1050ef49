package dev.edx.gha.convert;

import static java.util.Objects.requireNonNull;

import dev.edx.gha.Hour;
import org.apache.parquet.io.api.Binary;

/**
 * One event in the lake schema: the columns of gharchive's BigQuery tables plus the partition
 * columns of the hour whose file it came from. Nullable fields are null when the source had no
 * value. Texts are UTF-8 {@link Binary}s, most of them slices of the source line (so the line's
 * bytes must not change while the event is in use).
 *
 * @param id the event id (Events API) or a derived id for Timeline events (see the module README)
 * @param idKey the 64-bit key the deduplication set keeps for {@code id}
 * @param payload the payload's JSON text, the bytes of the source
 * @param createdAtMicros {@code created_at} in microseconds since the epoch (UTC)
 * @param other the top-level fields outside the BigQuery schema, as a JSON object text
 */
record GhaEvent(Binary id, long idKey, Binary type, Boolean isPublic, Binary payload, Repo repo,
    Actor actor, Org org, long createdAtMicros, Binary other, Hour hour) {

  GhaEvent {
    requireNonNull(id, "id is null");
    requireNonNull(type, "type is null");
    requireNonNull(hour, "hour is null");
  }

  record Repo(Long id, Binary name, Binary url) {}

  record Actor(Long id, Binary login, Binary displayLogin, Binary gravatarId, Binary avatarUrl,
      Binary url) {}

  record Org(Long id, Binary login, Binary gravatarId, Binary avatarUrl, Binary url) {}
}
