package dev.edx.hive.metastore;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStore;
import org.apache.hadoop.hive.metastore.IHMSHandler;
import org.apache.hadoop.hive.metastore.ObjectStore;
import org.apache.hadoop.hive.metastore.RetryingHMSHandler;
import org.apache.hadoop.hive.metastore.TSetIpAddressProcessor;
import org.apache.hadoop.hive.metastore.ThreadPool;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf.ConfVars;
import org.apache.hadoop.hive.metastore.txn.AcidHouseKeeperService;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.TTransportFactory;
import org.datanucleus.api.jdo.JDOPersistenceManagerFactory;
import org.datanucleus.store.schema.SchemaAwareStoreManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hive Metastore 3.1.3 server (the Thrift API that Spark's and Trino's Hive clients speak), run
 * in this JVM on a PostgreSQL database and listening on the loopback interface only.
 *
 * <p>The first start on an empty database creates the metastore's schema there (DataNucleus'
 * schema creation for the catalogue's tables, and the transaction and lock tables that the
 * metastore's {@code lock} call needs); a later start on the same database finds the databases,
 * tables and partitions the earlier ones registered. {@link #close()} stops the server and leaves
 * the database as it is.
 *
 * <pre>{@code
 * try (HiveMetastoreServer hms = HiveMetastoreServer.start(
 *     HiveMetastoreServer.Config.of(jdbcUrl, user, password, "file:/data/warehouse"))) {
 *   String uri = hms.uri(); // thrift://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class HiveMetastoreServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HiveMetastoreServer.class);
  private static final String TXN_TABLES = "txn-tables.postgres.sql";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration HOUSEKEEPING = Duration.ofSeconds(10);
  /** How long a lock lives without a heartbeat (the metastore's default is 300 s). */
  static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);
  /** Guards Hive's static state (see the class comment); not a registry of servers. */
  private static final AtomicBoolean RUNNING = new AtomicBoolean();

  private final Config config;
  private final int port;
  private final TServer server;
  private final Thread serving;
  private final HiveMetaStore.HMSHandler handler;
  private final ScheduledExecutorService housekeeper;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HiveMetastoreServer(Config config, int port, TServer server, Thread serving,
      HiveMetaStore.HMSHandler handler, ScheduledExecutorService housekeeper) {
    this.config = config;
    this.port = port;
    this.server = server;
    this.serving = serving;
    this.handler = handler;
    this.housekeeper = housekeeper;
  }

  /**
   * Starts a server on {@code config}'s database and port, and returns once it accepts
   * connections.
   *
   * @throws IllegalStateException naming the database or the port when the server cannot start
   */
  public static HiveMetastoreServer start(Config config) {
    requireNonNull(config, "config is null");
    if (!RUNNING.compareAndSet(false, true)) {
      throw new IllegalStateException("Cannot start a second Hive Metastore in this JVM: Hive 3.1"
          + " keeps its database connections in static state; close the running one first, or"
          + " connect to it");
    }
    try {
      return startGuarded(config);
    } catch (RuntimeException | Error e) {
      resetHiveStatics();
      RUNNING.set(false);
      throw e;
    }
  }

  private static HiveMetastoreServer startGuarded(Config config) {
    long begin = System.nanoTime();
    // the port first: a busy one fails at once, before the metastore's seconds of start-up
    TServerSocket socket;
    try {
      socket = new TServerSocket(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()));
    } catch (TTransportException e) {
      throw new IllegalStateException("Cannot start the Hive Metastore: port " + config.port()
          + " on 127.0.0.1 is not free (" + e.getMessage() + "); give another port, or 0 for"
          + " any free one", e);
    }
    int port = socket.getServerSocket().getLocalPort();
    HiveMetaStore.HMSHandler base;
    IHMSHandler handler;
    Configuration conf;
    try {
      prepareDatabase(config);
      conf = metastoreConf(config);
      createCatalogTables(conf, config);
      base = new HiveMetaStore.HMSHandler("edx embedded metastore", conf, false);
      handler = RetryingHMSHandler.getProxy(conf, base, false);
    } catch (IllegalStateException | UncheckedIOException e) {
      socket.close();
      throw e;
    } catch (Exception | LinkageError e) {
      socket.close();
      throw new IllegalStateException("Cannot start the Hive Metastore on "
          + withoutQuery(config.jdbcUrl()) + ": " + e.getMessage(), e);
    }
    TServer server;
    try {
      TThreadPoolServer.Args args = new TThreadPoolServer.Args(socket)
          .processor(new TSetIpAddressProcessor<>(handler))
          .transportFactory(new TTransportFactory())
          .protocolFactory(new TBinaryProtocol.Factory())
          .executorService(workers(port, config.maxWorkerThreads()))
          .stopTimeoutVal(5);
      server = new TThreadPoolServer(args);
    } catch (ReflectiveOperationException | RuntimeException e) {
      socket.close();
      base.shutdown();
      throw new IllegalStateException("Cannot start the Hive Metastore: " + e.getMessage(), e);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread serving = new Thread(() -> {
      try {
        server.serve();
      } catch (RuntimeException | Error e) {
        failure.set(e);
        LOG.error("The Hive Metastore on port {} stopped", port, e);
      }
    }, "hive-metastore-" + port);
    serving.setDaemon(true);
    serving.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!server.isServing()) {
      if (failure.get() != null || !serving.isAlive() || System.nanoTime() > deadline) {
        server.stop();
        base.shutdown();
        throw new IllegalStateException("Cannot start the Hive Metastore on port " + port
            + ": it did not start serving", failure.get());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.stop();
        base.shutdown();
        throw new IllegalStateException("Interrupted while starting the Hive Metastore", e);
      }
    }
    ScheduledExecutorService housekeeper = housekeeper(conf, port);
    LOG.info("Hive Metastore at thrift://127.0.0.1:{} on {}, started in {} ms", port,
        withoutQuery(config.jdbcUrl()), (System.nanoTime() - begin) / 1_000_000);
    return new HiveMetastoreServer(config, port, server, serving, base, housekeeper);
  }

  /** The address clients use: {@code thrift://127.0.0.1:PORT}. */
  public String uri() {
    return "thrift://127.0.0.1:" + port;
  }

  /** The port the server listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** What the server was started with. */
  public Config config() {
    return config;
  }

  /** Stops accepting connections and stops the server; the database keeps its data. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    housekeeper.shutdownNow();
    server.stop();
    try {
      serving.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handler.shutdown();
    resetHiveStatics();
    RUNNING.set(false);
    LOG.info("Hive Metastore on port {} stopped", port);
  }

  /**
   * Expires the locks of clients that stopped heartbeating (after {@code metastore.txn.timeout}),
   * as the metastore's own AcidHouseKeeperService does in a standalone server, so that a writer
   * that died holding a table lock does not block that table for good.
   */
  private static ScheduledExecutorService housekeeper(Configuration conf, int port) {
    AcidHouseKeeperService task = new AcidHouseKeeperService();
    task.setConf(conf);
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hive-metastore-" + port + "-housekeeper");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("Cannot expire stale metastore locks: {}", e.toString());
      }
    }, HOUSEKEEPING.toSeconds(), HOUSEKEEPING.toSeconds(), TimeUnit.SECONDS);
    return executor;
  }

  /** The Thrift workers: daemon threads, so that a server never keeps its JVM alive. */
  private static ExecutorService workers(int port, int max) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "hive-metastore-" + port + "-worker-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return new ThreadPoolExecutor(1, max, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        factory);
  }

  /**
   * Closes the connection pools Hive keeps in static fields and clears those fields, so that the
   * next server in this JVM opens its own (Hive 3.1 has no API for it; each step is best effort).
   */
  private static void resetHiveStatics() {
    try {
      ThreadPool.shutdown();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("Cannot stop Hive's metastore task thread pool: {}", e.toString());
    }
    closeStatic("org.apache.hadoop.hive.metastore.ObjectStore", "pmf");
    clearStatic("org.apache.hadoop.hive.metastore.ObjectStore", "prop");
    closeStatic("org.apache.hadoop.hive.metastore.txn.TxnHandler", "connPool");
    closeStatic("org.apache.hadoop.hive.metastore.txn.TxnHandler", "connPoolMutex");
  }

  private static void closeStatic(String className, String fieldName) {
    try {
      Field field = Class.forName(className).getDeclaredField(fieldName);
      field.setAccessible(true);
      Object value = field.get(null);
      field.set(null, null);
      if (value instanceof javax.jdo.PersistenceManagerFactory pmf) {
        pmf.close();
      } else if (value instanceof AutoCloseable closeable) {
        closeable.close();
      }
    } catch (Exception | LinkageError e) {
      LOG.warn("Cannot close Hive's {}.{}: {}", className, fieldName, e.toString());
    }
  }

  private static void clearStatic(String className, String fieldName) {
    try {
      Field field = Class.forName(className).getDeclaredField(fieldName);
      field.setAccessible(true);
      field.set(null, null);
    } catch (Exception | LinkageError e) {
      LOG.warn("Cannot clear Hive's {}.{}: {}", className, fieldName, e.toString());
    }
  }

  @Override
  public String toString() {
    return "HiveMetastoreServer[" + uri() + ", " + config + "]";
  }

  private static Configuration metastoreConf(Config config) {
    Configuration conf = MetastoreConf.newMetastoreConf();
    MetastoreConf.setVar(conf, ConfVars.CONNECT_URL_KEY, config.jdbcUrl());
    MetastoreConf.setVar(conf, ConfVars.CONNECTION_DRIVER, "org.postgresql.Driver");
    MetastoreConf.setVar(conf, ConfVars.CONNECTION_USER_NAME, config.user());
    MetastoreConf.setVar(conf, ConfVars.PWD, config.password());
    MetastoreConf.setVar(conf, ConfVars.WAREHOUSE, config.warehouse());
    MetastoreConf.setVar(conf, ConfVars.WAREHOUSE_EXTERNAL, config.warehouse());
    // The catalogue's tables come from DataNucleus (the jar carries no PostgreSQL script); the
    // version row is written on the first start.
    MetastoreConf.setBoolVar(conf, ConfVars.SCHEMA_VERIFICATION, false);
    MetastoreConf.setBoolVar(conf, ConfVars.AUTO_CREATE_ALL, true);
    MetastoreConf.setVar(conf, ConfVars.EXPRESSION_PROXY_CLASS,
        "org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy");
    // The default list names a class the jar does not carry (repl.DumpDirCleanerTask).
    MetastoreConf.setVar(conf, ConfVars.TASK_THREADS_ALWAYS,
        "org.apache.hadoop.hive.metastore.events.EventCleanerTask,"
            + "org.apache.hadoop.hive.metastore.RuntimeStatsCleanerTask");
    MetastoreConf.setBoolVar(conf, ConfVars.EVENT_DB_NOTIFICATION_API_AUTH, false);
    MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, "");
    MetastoreConf.setTimeVar(conf, ConfVars.TXN_TIMEOUT, LOCK_TIMEOUT.toSeconds(),
        TimeUnit.SECONDS);
    conf.set("datanucleus.autoStartMechanismMode", "ignored");
    conf.setInt("datanucleus.connectionPool.maxPoolSize", 10);
    config.properties().forEach(conf::set);
    return conf;
  }

  /**
   * Creates the catalogue's tables, all of them, before the metastore serves: DataNucleus would
   * otherwise create each on its first write, and a read of a table not yet written (partitions
   * of a database being dropped) fails. Tables that exist are left as they are.
   */
  private static void createCatalogTables(Configuration conf, Config config) {
    String jdo;
    try (InputStream in = ObjectStore.class.getClassLoader().getResourceAsStream("package.jdo")) {
      if (in == null) {
        throw new IllegalStateException("Cannot find package.jdo on the class path: the"
            + " hive-standalone-metastore jar is missing");
      }
      jdo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read package.jdo", e);
    }
    // the tables DataNucleus makes (upper case), but none for a class stored embedded in another
    Set<String> tables = new TreeSet<>();
    Matcher table = Pattern.compile("table=\"([A-Za-z0-9_]+)\"").matcher(jdo);
    while (table.find()) {
      tables.add(table.group(1).toUpperCase(Locale.ROOT));
    }
    Matcher embedded = Pattern.compile("<class [^>]*embedded-only=\"true\"[^>]*table=\""
        + "([A-Za-z0-9_]+)\"").matcher(jdo);
    while (embedded.find()) {
      tables.remove(embedded.group(1).toUpperCase(Locale.ROOT));
    }
    tables.removeAll(existingTables(config));
    if (tables.isEmpty()) {
      return; // a later start: every table is there (checking them costs seconds)
    }
    LOG.info("Creating the Hive Metastore's tables in {} ({} missing: {})",
        withoutQuery(config.jdbcUrl()), tables.size(), tables);
    Set<String> classes = new TreeSet<>();
    Matcher pkg = Pattern.compile("<package name=\"([^\"]+)\"").matcher(jdo);
    String prefix = pkg.find() ? pkg.group(1) + "." : "";
    Matcher cls = Pattern.compile("<class name=\"([^\"]+)\"").matcher(jdo);
    while (cls.find()) {
      classes.add(prefix + cls.group(1));
    }
    ObjectStore store = new ObjectStore();
    try {
      store.setConf(conf);
      JDOPersistenceManagerFactory pmf = (JDOPersistenceManagerFactory) store
          .getPersistenceManager().getPersistenceManagerFactory();
      ((SchemaAwareStoreManager) pmf.getNucleusContext().getStoreManager())
          .createSchemaForClasses(classes, new Properties());
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot create the Hive Metastore's tables in "
          + withoutQuery(config.jdbcUrl()) + ": " + e.getMessage(), e);
    } finally {
      store.shutdown();
    }
  }

  /** The tables of the connection's current schema, by name. */
  private static Set<String> existingTables(Config config) {
    Set<String> names = new TreeSet<>();
    try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(),
        config.password()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables"
            + " WHERE table_schema = current_schema()")) {
      while (r.next()) {
        names.add(r.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot list the tables of "
          + withoutQuery(config.jdbcUrl()) + ": " + e.getMessage(), e);
    }
    return names;
  }

  /** Creates the transaction and lock tables DataNucleus does not (idempotent). */
  private static void prepareDatabase(Config config) {
    String script;
    try (InputStream in = HiveMetastoreServer.class.getResourceAsStream(TXN_TABLES)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find " + TXN_TABLES + " next to "
            + HiveMetastoreServer.class.getName() + ": the edx-hive-metastore jar is incomplete");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + TXN_TABLES, e);
    }
    try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(),
        config.password()); Statement s = c.createStatement()) {
      for (String statement : statements(script)) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot prepare the Hive Metastore's database "
          + withoutQuery(config.jdbcUrl()) + " as user " + config.user() + ": " + e.getMessage()
          + " (check the JDBC url, user and password)", e);
    }
  }

  private static List<String> statements(String script) {
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    return Arrays.stream(sql.toString().split(";"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static String withoutQuery(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
  }

  /**
   * What a server starts with: its PostgreSQL database (JDBC url, user, password), its warehouse
   * (the default location of databases and managed tables, a {@code file:} URI or any file system
   * the class path serves), its port on 127.0.0.1 (0 for any free one), and further metastore or
   * Hadoop properties (for example {@code fs.s3a.endpoint}). {@link #toString()} never shows the
   * password.
   */
  public record Config(String jdbcUrl, String user, String password, String warehouse, int port,
      int maxWorkerThreads, Map<String, String> properties) {
    public Config {
      requireNonNull(jdbcUrl, "jdbcUrl is null");
      requireNonNull(user, "user is null");
      requireNonNull(password, "password is null");
      requireNonNull(warehouse, "warehouse is null");
      requireNonNull(properties, "properties is null");
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("Invalid Hive Metastore jdbcUrl " + withoutQuery(jdbcUrl)
            + ": the metastore runs on PostgreSQL, give a jdbc:postgresql:// url");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Invalid Hive Metastore port " + port
            + ": give 0 (any free port) or a port from 1 to 65535");
      }
      if (maxWorkerThreads < 1) {
        throw new IllegalArgumentException("Invalid Hive Metastore maxWorkerThreads "
            + maxWorkerThreads + ": give at least 1");
      }
      URI location;
      try {
        location = URI.create(warehouse);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid Hive Metastore warehouse " + warehouse
            + ": give a URI such as file:/var/edx/warehouse or s3a://bucket/warehouse", e);
      }
      if (location.getScheme() == null) {
        throw new IllegalArgumentException("Invalid Hive Metastore warehouse " + warehouse
            + ": give a URI with a scheme, such as file:/var/edx/warehouse");
      }
      properties = Map.copyOf(properties);
    }

    /** A server on any free port, with 64 worker threads at most and no further properties. */
    public static Config of(String jdbcUrl, String user, String password, String warehouse) {
      return new Config(jdbcUrl, user, password, warehouse, 0, 64, Map.of());
    }

    /** This configuration on {@code port} (0 for any free one). */
    public Config withPort(int port) {
      return new Config(jdbcUrl, user, password, warehouse, port, maxWorkerThreads, properties);
    }

    /** This configuration with {@code more} properties added (replacing equal keys). */
    public Config withProperties(Map<String, String> more) {
      Map<String, String> all = new LinkedHashMap<>(properties);
      all.putAll(more);
      return new Config(jdbcUrl, user, password, warehouse, port, maxWorkerThreads, all);
    }

    @Override
    public String toString() {
      return "Config[jdbcUrl=" + withoutQuery(jdbcUrl) + ", user=" + user + ", password=****"
          + ", warehouse=" + warehouse + ", port=" + port + ", properties=" + properties.keySet()
          + "]";
    }
  }
}
