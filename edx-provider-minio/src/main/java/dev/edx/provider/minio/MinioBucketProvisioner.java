package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.s3.OwnedBuckets;
import io.minio.GetBucketLifecycleArgs;
import io.minio.GetBucketPolicyArgs;
import io.minio.MinioClient;
import io.minio.SetBucketLifecycleArgs;
import io.minio.SetBucketPolicyArgs;
import io.minio.SetBucketVersioningArgs;
import io.minio.messages.Expiration;
import io.minio.messages.LifecycleConfiguration;
import io.minio.messages.LifecycleRule;
import io.minio.messages.RuleFilter;
import io.minio.messages.Status;
import io.minio.messages.VersioningConfiguration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The declared buckets of a {@code minio} storage and their settings. Ownership first (the shared
 * {@link OwnedBuckets}: create, adopt, delete when no longer declared, drift, destroy), then a
 * settings pass over the declared buckets this environment owns: a versioning, policy or lifecycle
 * that differs from the spec is an {@code UPDATE} of that bucket. Buckets edx does not own keep
 * their settings.
 */
final class MinioBucketProvisioner extends OwnedBuckets {
  private static final Logger LOG = LoggerFactory.getLogger(MinioBucketProvisioner.class);

  private final MinioObjectStorage storage;
  private final MinioClient client;
  private final MinioCalls calls;
  private final List<BucketSpec> buckets;

  MinioBucketProvisioner(MinioObjectStorage storage, MinioClient client, MinioCalls calls,
      List<BucketSpec> buckets, String environment) {
    super(storage, environment, buckets.stream()
        .map(b -> new DeclaredResource(b.name(), b.adopt())).toList());
    this.storage = requireNonNull(storage, "storage is null");
    this.client = requireNonNull(client, "client is null");
    this.calls = requireNonNull(calls, "calls is null");
    this.buckets = List.copyOf(buckets);
  }

  @Override
  public List<Change> plan() {
    calls.requireOpen();
    return super.plan();
  }

  @Override
  public List<Change> apply() {
    calls.requireOpen();
    return super.apply();
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    requireNonNull(policy, "policy is null");
    calls.requireOpen();
    return super.destroy(policy);
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    requireNonNull(policy, "policy is null");
    calls.requireOpen();
    return super.planDestroy(policy);
  }

  /** A new bucket gets its settings at once (its CREATE names them). */
  @Override
  protected void configure(String bucket, boolean created) {
    if (created) {
      BucketSpec declared = declared(bucket);
      applyVersioning(declared);
      applyPolicy(declared);
      applyLifecycle(declared);
    } else {
      LOG.info("Adopted bucket {} on {} for environment {}", bucket, storage.where(),
          environment());
    }
  }

  @Override
  protected void deleted(String bucket, long versions) {
    LOG.info("Deleted bucket {} on {} ({} object versions)", bucket, storage.where(), versions);
  }

  @Override
  protected String describeCreate(String name) {
    BucketSpec bucket = declared(name);
    List<String> parts = new ArrayList<>();
    bucket.versioning().ifPresent(v -> parts.add("versioning " + (v ? "enabled" : "suspended")));
    bucket.policy().ifPresent(p -> parts.add("policy"));
    bucket.lifecycle().ifPresent(l -> parts.add("lifecycle " + l));
    return parts.isEmpty() ? "new bucket" : "new bucket with " + String.join(", ", parts);
  }

  private BucketSpec declared(String name) {
    return buckets.stream().filter(b -> b.name().equals(name)).findFirst()
        .orElseGet(() -> BucketSpec.named(name));
  }

  @Override
  protected boolean hasSettings(String bucket) {
    return declared(bucket).hasSettings();
  }

  @Override
  protected List<String> settingsDifferences(String bucket, boolean apply) {
    List<String> differences = settingsDifferences(declared(bucket), apply);
    if (apply && !differences.isEmpty()) {
      LOG.info("Updated bucket {} on {}: {}", bucket, storage.where(),
          String.join(", ", differences));
    }
    return differences;
  }

  /** How an existing bucket's settings differ from the spec; made so as well when {@code apply}. */
  private List<String> settingsDifferences(BucketSpec bucket, boolean apply) {
    String name = bucket.name();
    List<String> differences = new ArrayList<>();
    if (bucket.versioning().isPresent()) {
      VersioningConfiguration.Status status = storage.versioning(name);
      boolean enabled = status == VersioningConfiguration.Status.ENABLED;
      if (enabled != bucket.versioning().get()) {
        differences.add("versioning " + (status == VersioningConfiguration.Status.OFF ? "off"
            : status.toString().toLowerCase(Locale.ROOT)) + " -> "
            + (bucket.versioning().get() ? "enabled" : "suspended"));
        if (apply) {
          applyVersioning(bucket);
        }
      }
    }
    if (bucket.policy().isPresent()) {
      Optional<JsonNode> current = currentPolicy(name);
      Optional<JsonNode> desired = BucketSpec.parseJson(bucket.policy().get());
      if (!current.equals(desired)) {
        differences.add(current.isEmpty() ? "policy none -> set" : "policy changed");
        if (apply) {
          applyPolicy(bucket);
        }
      }
    }
    if (bucket.lifecycle().isPresent()) {
      Optional<BucketSpec.Lifecycle> current = currentLifecycle(name);
      if (!current.equals(bucket.lifecycle())) {
        differences.add("lifecycle " + current.map(Object::toString).orElse("none") + " -> "
            + bucket.lifecycle().get());
        if (apply) {
          applyLifecycle(bucket);
        }
      }
    }
    return differences;
  }

  private void applyVersioning(BucketSpec bucket) {
    if (bucket.versioning().isEmpty()) {
      return;
    }
    VersioningConfiguration.Status status = bucket.versioning().get()
        ? VersioningConfiguration.Status.ENABLED : VersioningConfiguration.Status.SUSPENDED;
    if (!bucket.versioning().get()
        && storage.versioning(bucket.name()) == VersioningConfiguration.Status.OFF) {
      return; // never versioned: nothing to suspend
    }
    calls.run("set versioning of bucket '" + bucket.name() + "'", bucket.name(), () -> {
      client.setBucketVersioning(SetBucketVersioningArgs.builder().bucket(bucket.name())
          .config(new VersioningConfiguration(status, null)).build());
      return null;
    });
  }

  private Optional<JsonNode> currentPolicy(String bucket) {
    String policy = calls.call("read the policy of bucket '" + bucket + "'", bucket, null,
        () -> client.getBucketPolicy(GetBucketPolicyArgs.builder().bucket(bucket).build()));
    return policy == null || policy.isBlank() ? Optional.empty() : BucketSpec.parseJson(policy);
  }

  private void applyPolicy(BucketSpec bucket) {
    bucket.policy().ifPresent(policy -> calls.run("set the policy of bucket '" + bucket.name()
        + "'", bucket.name(), () -> {
          client.setBucketPolicy(SetBucketPolicyArgs.builder().bucket(bucket.name())
              .config(policy).build());
          return null;
        }));
  }

  private Optional<LifecycleConfiguration> lifecycleConfiguration(String bucket) {
    return Optional.ofNullable(calls.call("read the lifecycle of bucket '" + bucket + "'", bucket,
        null, () -> client.getBucketLifecycle(GetBucketLifecycleArgs.builder().bucket(bucket)
            .build())));
  }

  private Optional<BucketSpec.Lifecycle> currentLifecycle(String bucket) {
    return lifecycleConfiguration(bucket).stream()
        .flatMap(c -> c.rules() == null ? Stream.empty() : c.rules().stream())
        .filter(r -> BucketSpec.Lifecycle.RULE_ID.equals(r.id()) && r.status() == Status.ENABLED
            && r.expiration() != null && r.expiration().days() != null)
        .findFirst()
        .map(r -> new BucketSpec.Lifecycle(r.expiration().days(), rulePrefix(r)));
  }

  private static String rulePrefix(LifecycleRule rule) {
    return rule.filter() == null || rule.filter().prefix() == null ? "" : rule.filter().prefix();
  }

  /** Sets edx's rule, keeping the bucket's other rules. */
  private void applyLifecycle(BucketSpec bucket) {
    if (bucket.lifecycle().isEmpty()) {
      return;
    }
    BucketSpec.Lifecycle lifecycle = bucket.lifecycle().get();
    List<LifecycleRule> rules = new ArrayList<>();
    lifecycleConfiguration(bucket.name()).ifPresent(c -> {
      if (c.rules() != null) {
        c.rules().stream().filter(r -> !BucketSpec.Lifecycle.RULE_ID.equals(r.id()))
            .forEach(rules::add);
      }
    });
    rules.add(new LifecycleRule(Status.ENABLED, null,
        new Expiration((ZonedDateTime) null, lifecycle.expireDays(), null),
        new RuleFilter(lifecycle.prefix()), BucketSpec.Lifecycle.RULE_ID, null, null, null));
    calls.run("set the lifecycle of bucket '" + bucket.name() + "'", bucket.name(), () -> {
      client.setBucketLifecycle(SetBucketLifecycleArgs.builder().bucket(bucket.name())
          .config(new LifecycleConfiguration(rules)).build());
      return null;
    });
  }
}
