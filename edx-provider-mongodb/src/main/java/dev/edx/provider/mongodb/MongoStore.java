package dev.edx.provider.mongodb;

import static java.util.Objects.requireNonNull;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.ReplaceOptions;
import dev.edx.api.DataStore;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.toolkit.NamePrefix;
import dev.edx.toolkit.OwnedResourceProvisioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB data store: a {@link MongoClient}, opened on first use, and the provisioner of its
 * declared collections and their indexes.
 *
 * <p>Ownership: a collection carries no free-form metadata, so ownership is recorded in a
 * collection of its own ({@code edx.ownership} by default), one document per collection, {@code
 * {_id: "database.collection", environment, uuid}}. A collection is an environment's only while
 * its uuid (where the server reports one) is the recorded one: a collection dropped and made again
 * behind edx's back is not edx's. The record is written before the collection is made, so an
 * apply stopped in between is completed by the next.
 *
 * <p>Its {@code toString} and messages never hold the connection string (it may carry a
 * password). Thread safe; {@link #close()} is idempotent.
 */
public final class MongoStore extends OwnedResourceProvisioner
    implements DataStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MongoStore.class);

  private final String name;
  private final ConnectionString uri;
  private final Optional<String> database;
  private final Duration timeout;
  private final NamePrefix prefix;
  private final Map<String, MongoCollections.Collection> collections;
  private final String ledgerDatabase;
  private final String ledgerCollection;
  private final AtomicBoolean closed = new AtomicBoolean();
  private MongoClient client;

  MongoStore(String service, String name, String environment, ConnectionString uri,
      Optional<String> database, Duration timeout,
      List<MongoCollections.Collection> collections, String ownershipCollection,
      NamePrefix prefix) {
    super(service, "collection", environment,
        collections.stream().map(MongoCollections.Collection::declared).toList());
    this.name = requireNonNull(name, "name is null");
    this.uri = requireNonNull(uri, "uri is null");
    this.database = requireNonNull(database, "database is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
    this.prefix = requireNonNull(prefix, "prefix is null");
    Map<String, MongoCollections.Collection> byName = new LinkedHashMap<>();
    collections.forEach(c -> byName.put(c.namespace(), c));
    this.collections = byName;
    int dot = ownershipCollection.indexOf('.');
    this.ledgerDatabase = ownershipCollection.substring(0, dot);
    this.ledgerCollection = ownershipCollection.substring(dot + 1);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String provider() {
    return MongoDataStoreProvider.NAME;
  }

  /** The client, opened on first use (opening connects nothing) and closed with the store. */
  public synchronized MongoClient client() {
    if (closed.get()) {
      throw new IllegalStateException("Cannot use data store '" + name + "': it is closed");
    }
    if (client == null) {
      long ms = timeout.toMillis();
      MongoClientSettings settings = MongoClientSettings.builder().applyConnectionString(uri)
          .applyToClusterSettings(b -> b.serverSelectionTimeout(ms, TimeUnit.MILLISECONDS))
          .applyToSocketSettings(b -> b.connectTimeout(Math.toIntExact(ms),
              TimeUnit.MILLISECONDS))
          .applicationName("edx-" + environment())
          .build();
      try {
        client = MongoClients.create(settings);
      } catch (RuntimeException e) {
        throw new ProviderException("Cannot open data store '" + name + "' (" + hosts() + "): "
            + e.getMessage(), e);
      }
      LOG.info("Data store '{}': MongoDB client for {}", name, hosts());
    }
    return client;
  }

  /**
   * {@inheritDoc} Sends {@code ping} to the {@code admin} database (within {@code connectTimeout}
   * of server selection) and names the hosts; the connection string is never shown.
   */
  @Override
  public Optional<String> check() {
    long start = System.nanoTime();
    try {
      Document answer = client().getDatabase("admin")
          .runCommand(new Document("ping", 1));
      Object ok = answer.get("ok");
      if (!(ok instanceof Number n) || n.doubleValue() != 1.0) {
        throw new ProviderException("Cannot check data store '" + name + "' (" + hosts()
            + "): ping answered ok=" + ok);
      }
      return Optional.of("mongodb: " + hosts() + ", ping in "
          + (System.nanoTime() - start) / 1_000_000 + " ms");
    } catch (MongoException e) {
      throw new ProviderException("Cannot reach data store '" + name + "' (" + hosts() + "): "
          + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * The physical name of the database code calls {@code logical}: {@code pr42_gha} for {@code gha}
   * in an environment with {@code metadata.namePrefix: pr42} (the {@link NamePrefix#identifier
   * identifier} rule), {@code logical} itself in one without. The declared collections live in
   * these; the ownership collection is shared by all environments and keeps its name.
   */
  public String databaseName(String logical) {
    return prefix.identifier(logical);
  }

  /** The database code calls {@code logical}, under its {@link #databaseName physical name}. */
  public MongoDatabase database(String logical) {
    return client().getDatabase(databaseName(logical));
  }

  /**
   * The default database: the {@code database} setting, else the connection string's, under its
   * {@link #databaseName physical name}.
   *
   * @throws IllegalStateException when neither names one
   */
  public MongoDatabase database() {
    return client().getDatabase(database.orElseThrow(() -> new IllegalStateException(
        "Cannot give the default database of data store '" + name + "': set its 'database'"
            + " key (or name one in the connection string), or use client().getDatabase(name)")));
  }

  // ------------------------------------------------------------------------------ provisioning

  @Override
  protected boolean exists(String namespace) {
    return info(namespace).isPresent();
  }

  @Override
  protected Optional<String> owner(String namespace) {
    Optional<Document> info = info(namespace);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(ledger().get(namespace))
        .filter(mark -> mark.get("uuid") == null
            || Objects.equals(mark.get("uuid"), uuid(info.get())))
        .map(mark -> mark.getString("environment"));
  }

  @Override
  protected Set<String> ownedByThisEnvironment() {
    Set<String> owned = new TreeSet<>();
    for (Map.Entry<String, Document> e : ledger().entrySet()) {
      if (environment().equals(e.getValue().getString("environment"))
          && owner(e.getKey()).filter(environment()::equals).isPresent()) {
        owned.add(e.getKey());
      }
    }
    return owned;
  }

  @Override
  protected void create(String namespace) {
    MongoCollections.Collection declared = collections.get(namespace);
    mark(namespace, null);
    call("create collection " + namespace, () -> {
      try {
        client().getDatabase(declared.database()).createCollection(declared.name());
      } catch (MongoCommandException e) {
        if (e.getErrorCode() != 48) { // NamespaceExists: made concurrently, or half made
          throw e;
        }
      }
      return null;
    });
    for (MongoCollections.Index index : declared.indexes()) {
      createIndex(declared, index);
    }
    info(namespace).ifPresent(info -> mark(namespace, uuid(info)));
  }

  @Override
  protected void adopt(String namespace) {
    Document info = info(namespace).orElseThrow(() -> new ProviderException("Cannot adopt"
        + " collection " + namespace + " of data store '" + name + "': it does not exist"));
    mark(namespace, uuid(info));
  }

  @Override
  protected Optional<String> drift(String namespace) {
    MongoCollections.Collection declared = collections.get(namespace);
    if (declared == null || declared.indexes().isEmpty()) {
      return Optional.empty();
    }
    List<String> differences = new ArrayList<>();
    Map<String, Document> existing = indexes(declared);
    for (MongoCollections.Index index : declared.indexes()) {
      Document actual = existing.get(index.name());
      if (actual == null) {
        differences.add("create index " + index.describe());
      } else if (!same(index, actual)) {
        differences.add("remake index " + index.describe());
      }
    }
    return differences.isEmpty() ? Optional.empty()
        : Optional.of("update: " + String.join(", ", differences));
  }

  @Override
  protected void update(String namespace) {
    MongoCollections.Collection declared = collections.get(namespace);
    Map<String, Document> existing = indexes(declared);
    for (MongoCollections.Index index : declared.indexes()) {
      Document actual = existing.get(index.name());
      if (actual != null && !same(index, actual)) {
        call("drop index " + index.name() + " of " + namespace, () -> {
          collection(declared).dropIndex(index.name());
          return null;
        });
        actual = null;
      }
      if (actual == null) {
        createIndex(declared, index);
      }
    }
  }

  @Override
  protected long dataCount(String namespace) {
    int dot = namespace.indexOf('.');
    return call("count the documents of " + namespace, () -> client()
        .getDatabase(namespace.substring(0, dot)).getCollection(namespace.substring(dot + 1))
        .estimatedDocumentCount());
  }

  @Override
  protected void delete(String namespace) {
    int dot = namespace.indexOf('.');
    call("drop collection " + namespace, () -> {
      client().getDatabase(namespace.substring(0, dot))
          .getCollection(namespace.substring(dot + 1)).drop();
      return null;
    });
    call("remove the owner record of " + namespace, () -> ledgerCollection()
        .deleteOne(Filters.eq("_id", namespace)));
  }

  @Override
  protected String dataUnit() {
    return "document(s)";
  }

  @Override
  protected String describeCreate(String namespace) {
    MongoCollections.Collection c = collections.get(namespace);
    return c.indexes().isEmpty() ? "" : "indexes " + String.join(", ",
        c.indexes().stream().map(MongoCollections.Index::describe).toList());
  }

  private static boolean same(MongoCollections.Index index, Document actual) {
    Document key = actual.get("key", Document.class);
    Map<String, Object> normalized = new LinkedHashMap<>();
    if (key != null) {
      key.forEach((k, v) -> normalized.put(k, v instanceof Number n ? (Object) n.intValue() : v));
    }
    // keys() holds Integers: a key of another kind ("text") never equals it, and is remade.
    return normalized.equals(index.keys())
        && index.unique() == Boolean.TRUE.equals(actual.getBoolean("unique"));
  }

  private void createIndex(MongoCollections.Collection c, MongoCollections.Index index) {
    call("create index " + index.name() + " of " + c.namespace(), () -> collection(c)
        .createIndex(index.keysDocument(), new IndexOptions().name(index.name())
            .unique(index.unique())));
  }

  private MongoCollection<Document> collection(MongoCollections.Collection c) {
    return client().getDatabase(c.database()).getCollection(c.name());
  }

  private Map<String, Document> indexes(MongoCollections.Collection c) {
    return call("list the indexes of " + c.namespace(), () -> {
      Map<String, Document> result = new HashMap<>();
      for (Document d : collection(c).listIndexes()) {
        result.put(d.getString("name"), d);
      }
      return result;
    });
  }

  /** The listCollections entry of a collection; empty when it does not exist. */
  private Optional<Document> info(String namespace) {
    int dot = namespace.indexOf('.');
    String db = namespace.substring(0, dot);
    String collection = namespace.substring(dot + 1);
    // Matched here rather than with a listCollections filter, which not every implementation of
    // the protocol honours.
    return call("look up collection " + namespace, () -> {
      for (Document info : client().getDatabase(db).listCollections()) {
        if (collection.equals(info.getString("name"))) {
          return Optional.of(info);
        }
      }
      return Optional.<Document>empty();
    });
  }

  private static Object uuid(Document info) {
    Document details = info.get("info", Document.class);
    return details == null ? null : details.get("uuid");
  }

  private MongoCollection<Document> ledgerCollection() {
    return client().getDatabase(ledgerDatabase).getCollection(ledgerCollection);
  }

  /** The ownership records, by namespace. */
  private Map<String, Document> ledger() {
    return call("read the ownership records", () -> {
      Map<String, Document> result = new HashMap<>();
      for (Document d : ledgerCollection().find()) {
        if (d.get("_id") instanceof String ns && d.get("environment") instanceof String) {
          result.put(ns, d);
        }
      }
      return result;
    });
  }

  private void mark(String namespace, Object uuid) {
    Document mark = new Document("_id", namespace).append("environment", environment())
        .append("uuid", uuid);
    call("record the owner of " + namespace, () -> ledgerCollection().replaceOne(
        Filters.eq("_id", namespace), mark, new ReplaceOptions().upsert(true)));
  }

  private <T> T call(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (MongoException e) {
      throw new ProviderException("Cannot " + what + " in data store '" + name + "' ("
          + hosts() + "): " + e.getMessage(), e);
    }
  }

  private String hosts() {
    return String.join(",", uri.getHosts());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      if (client != null) {
        client.close();
      }
    }
  }

  @Override
  public String toString() {
    return "MongoStore{name=" + name + ", hosts=" + hosts() + ", database="
        + database.orElse("<none>") + ", credentials=" + (uri.getCredential() != null
            ? "****" : "<none>") + "}";
  }
}
