package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY_VALUE;
import static java.util.Objects.requireNonNull;

import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.ProviderException;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets as Kubernetes Secrets ({@code Opaque}) in one namespace: the {@code k8s} secrets
 * provider.
 *
 * <ul>
 *   <li>{@link #get} reads any Secret of the namespace, so a spec can reference one made by Helm
 *       or an operator: {@code data} base64-decoded as UTF-8, then {@code stringData} over it (as
 *       the API server merges it on write);
 *   <li>{@link #put} writes {@code data} with {@code app.kubernetes.io/managed-by=edx}; it refuses
 *       to replace a Secret without that label unless {@code adopt} is set;
 *   <li>{@link #delete} deletes only Secrets edx manages (or any, with {@code adopt});
 *   <li>{@link #list} lists only the Secrets edx manages, so service-account tokens, TLS and Helm
 *       secrets do not show up as edx secrets.
 * </ul>
 *
 * Values never reach logs or exception messages. Thread safe.
 */
public final class K8sSecrets implements Secrets, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(K8sSecrets.class);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final String namespace;
  private final boolean adopt;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param client the client
   * @param ownsClient whether {@link #close()} closes the client
   * @param namespace the namespace of the Secrets
   * @param adopt whether put and delete may touch Secrets edx did not create
   */
  public K8sSecrets(KubernetesClient client, boolean ownsClient, String namespace, boolean adopt) {
    this.client = requireNonNull(client, "client is null");
    this.ownsClient = ownsClient;
    this.namespace = requireNonNull(namespace, "namespace is null");
    this.adopt = adopt;
    LOG.info("Kubernetes secrets in namespace {} at {}", namespace, client.getMasterUrl());
  }

  @Override
  public Optional<Secret> get(String name) {
    validate(name);
    io.fabric8.kubernetes.api.model.Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw translate("read secret '" + name + "'", e);
    }
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      for (Map.Entry<String, String> e : secret.getData().entrySet()) {
        try {
          values.put(e.getKey(), new String(Base64.getDecoder().decode(
              e.getValue() == null ? "" : e.getValue()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException ex) {
          throw new ProviderException("Cannot read secret '" + name + "' in namespace "
              + namespace + ": key '" + e.getKey() + "' is not valid base64");
        }
      }
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> values.put(k, v == null ? "" : v));
    }
    try {
      return Optional.of(Secret.of(name, values));
    } catch (IllegalArgumentException e) {
      // Names the bad key, never a value.
      throw new ProviderException("Cannot read secret '" + name + "' in namespace " + namespace
          + ": " + e.getMessage());
    }
  }

  @Override
  public void put(Secret secret) {
    requireNonNull(secret, "secret is null");
    String name = secret.name();
    Map<String, String> data = new TreeMap<>();
    secret.reveal().forEach((k, v) -> data.put(k,
        Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    try {
      io.fabric8.kubernetes.api.model.Secret existing =
          client.secrets().inNamespace(namespace).withName(name).get();
      if (existing != null && !managed(existing) && !adopt) {
        throw new ProviderException("Cannot put secret '" + name + "' in namespace " + namespace
            + ": a Secret of that name exists and is not managed by edx (no " + MANAGED_BY + "="
            + MANAGED_BY_VALUE + " label); set adopt: true to replace it");
      }
      io.fabric8.kubernetes.api.model.Secret desired = new SecretBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace)
          .withLabels(Map.of(MANAGED_BY, MANAGED_BY_VALUE)).endMetadata()
          .withType("Opaque").withData(data).build();
      if (existing == null) {
        client.secrets().inNamespace(namespace).resource(desired).create();
      } else {
        // Replace every key: the old keys go, stringData is dropped.
        client.secrets().inNamespace(namespace).withName(name).edit(s -> {
          s.getMetadata().setLabels(merged(s.getMetadata().getLabels()));
          s.setData(data);
          s.setStringData(null);
          return s;
        });
      }
    } catch (KubernetesClientException e) {
      throw translate("put secret '" + name + "'", e);
    }
    LOG.debug("Put secret {} with keys {} in namespace {}", name, secret.keys(), namespace);
  }

  @Override
  public boolean delete(String name) {
    validate(name);
    try {
      io.fabric8.kubernetes.api.model.Secret existing =
          client.secrets().inNamespace(namespace).withName(name).get();
      if (existing == null) {
        return false;
      }
      if (!managed(existing) && !adopt) {
        throw new ProviderException("Cannot delete secret '" + name + "' in namespace "
            + namespace + ": it is not managed by edx; set adopt: true to delete it");
      }
      boolean deleted = !client.secrets().inNamespace(namespace).withName(name).delete().isEmpty();
      LOG.debug("Deleted secret {} in namespace {}: {}", name, namespace, deleted);
      return deleted;
    } catch (KubernetesClientException e) {
      throw translate("delete secret '" + name + "'", e);
    }
  }

  @Override
  public List<String> list() {
    try {
      return client.secrets().inNamespace(namespace).withLabel(MANAGED_BY, MANAGED_BY_VALUE)
          .list().getItems().stream().map(s -> s.getMetadata().getName()).sorted().toList();
    } catch (KubernetesClientException e) {
      throw translate("list secrets", e);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      client.close();
    }
  }

  private static Map<String, String> merged(Map<String, String> labels) {
    Map<String, String> result = new LinkedHashMap<>();
    if (labels != null) {
      result.putAll(labels);
    }
    result.put(MANAGED_BY, MANAGED_BY_VALUE);
    return result;
  }

  private static boolean managed(io.fabric8.kubernetes.api.model.Secret secret) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    return labels != null && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY));
  }

  /** Applies the API's secret-name rule; throws IllegalArgumentException naming the name. */
  private static void validate(String name) {
    requireNonNull(name, "name is null");
    Secret.of(name, Map.of());
  }

  private RuntimeException translate(String what, KubernetesClientException e) {
    // The fabric8 message carries the request path and status, never a Secret's data.
    String message = "Cannot " + what + " in namespace " + namespace + " at "
        + client.getMasterUrl() + ": HTTP " + e.getCode() + " " + e.getStatus();
    if (e.getCode() == 401 || e.getCode() == 403) {
      return new AccessDeniedException(message, e);
    }
    return new ProviderException(message, e);
  }

  @Override
  public String toString() {
    return "K8sSecrets{namespace=" + namespace + ", masterUrl=" + client.getMasterUrl() + "}";
  }
}
