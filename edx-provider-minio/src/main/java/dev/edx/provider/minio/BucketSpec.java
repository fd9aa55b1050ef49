package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One declared bucket and the settings the provisioner manages. An absent setting is left as the
 * store has it; a present one is made so, on buckets this environment owns.
 *
 * @param name the bucket's name
 * @param adopt whether edx may take over the bucket when it exists but edx did not create it
 * @param versioning {@code true} enables versioning, {@code false} suspends it
 * @param policy the bucket policy, a JSON document
 * @param lifecycle the expiry rule
 */
record BucketSpec(String name, boolean adopt, Optional<Boolean> versioning,
    Optional<String> policy, Optional<Lifecycle> lifecycle) {
  BucketSpec {
    requireNonNull(name, "name is null");
    requireNonNull(versioning, "versioning is null");
    requireNonNull(policy, "policy is null");
    requireNonNull(lifecycle, "lifecycle is null");
  }

  static BucketSpec named(String name) {
    return new BucketSpec(name, false, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether the spec manages any setting of the bucket besides its existence. */
  boolean hasSettings() {
    return versioning.isPresent() || policy.isPresent() || lifecycle.isPresent();
  }

  /**
   * Objects under {@code prefix} expire {@code expireDays} days after they were written. edx
   * manages one rule per bucket, with the id {@link #RULE_ID}.
   */
  record Lifecycle(int expireDays, String prefix) {
    static final String RULE_ID = "edx-expire";

    Lifecycle {
      requireNonNull(prefix, "prefix is null");
      if (expireDays < 1) {
        throw new IllegalArgumentException("expireDays must be at least 1, not " + expireDays);
      }
    }

    @Override
    public String toString() {
      return "expire after " + expireDays + " days"
          + (prefix.isEmpty() ? "" : " under '" + prefix + "'");
    }
  }
}
