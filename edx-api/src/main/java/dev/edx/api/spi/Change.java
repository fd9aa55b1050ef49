package dev.edx.api.spi;

import static java.util.Objects.requireNonNull;

/**
 * One change to one resource, as planned or as made.
 *
 * @param service the spec section: {@code storage}, {@code compute}, {@code metastore}, {@code
 *     secrets}, or {@code datastores.NAME}
 * @param resource what it concerns, with its kind: {@code bucket gha-raw}, {@code database gha_dm}
 * @param action what happens to it
 * @param detail why, or which fields differ; never a secret value
 */
public record Change(String service, String resource, Action action, String detail) {
  public Change {
    requireNonNull(service, "service is null");
    requireNonNull(resource, "resource is null");
    requireNonNull(action, "action is null");
    requireNonNull(detail, "detail is null");
  }

  /** What a change does. */
  public enum Action {
    CREATE,
    UPDATE,
    DELETE,
    /** Destroy kept it under {@link DataPolicy#RETAIN}. */
    RETAIN,
    /** Already as desired. */
    NONE
  }

  @Override
  public String toString() {
    return action + " " + service + " " + resource + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
