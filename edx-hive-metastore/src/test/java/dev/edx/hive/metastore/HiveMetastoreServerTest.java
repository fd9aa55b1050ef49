package dev.edx.hive.metastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.embedded.PostgresEndpoint;
import dev.edx.embedded.S3Endpoint;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class HiveMetastoreServerTest {
  private static final Logger LOG = LoggerFactory.getLogger(HiveMetastoreServerTest.class);
  private static PostgresEndpoint postgres;

  @TempDir
  static Path warehouse;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresEndpoint.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static HiveMetastoreServer.Config config(String database) {
    return HiveMetastoreServer.Config.of(postgres.createDatabase(database), postgres.user(),
        postgres.password(), warehouse.toUri().toString());
  }

  @Test
  void aSecondStartOnTheSameDatabaseSeesWhatTheFirstRegistered() throws Exception {
    HiveMetastoreServer.Config config = config("hms_restart");
    long cold = System.nanoTime();
    try (HiveMetastoreServer hms = HiveMetastoreServer.start(config)) {
      long coldMs = (System.nanoTime() - cold) / 1_000_000;
      assertThat(hms.uri()).isEqualTo("thrift://127.0.0.1:" + hms.port());
      try (Client client = Client.connect(hms.port())) {
        client.api().create_database(new Database("sales", "", warehouse.resolve("sales")
            .toUri().toString(), Map.of()));
        client.api().create_table(table("sales", "orders"));
        assertThat(client.api().get_all_databases()).contains("default", "sales");
      }
      LOG.info("Hive Metastore cold start (empty database): {} ms", coldMs);
    }
    long warm = System.nanoTime();
    try (HiveMetastoreServer hms = HiveMetastoreServer.start(config)) {
      LOG.info("Hive Metastore warm start (same database): {} ms",
          (System.nanoTime() - warm) / 1_000_000);
      try (Client client = Client.connect(hms.port())) {
        assertThat(client.api().get_all_databases()).contains("default", "sales");
        Table orders = client.api().get_table("sales", "orders");
        assertThat(orders.getTableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(orders.getSd().getCols()).extracting(FieldSchema::getName)
            .containsExactly("id", "amount");
        assertThat(orders.getPartitionKeys()).extracting(FieldSchema::getName)
            .containsExactly("day");
      }
    }
  }

  @Test
  void registersTablesAndPartitionsOnAnS3EndpointThroughS3a() throws Exception {
    try (S3Endpoint s3 = S3Endpoint.inMemory();
        S3Client client = S3Client.builder().endpointOverride(s3.endpoint())
            .region(Region.of(s3.region())).forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
            .httpClient(ApacheHttpClient.create()).build()) {
      client.createBucket(b -> b.bucket("lake"));
      HiveMetastoreServer.Config config = config("hms_s3").withProperties(Map.of(
          "fs.s3a.endpoint", s3.endpoint().toString(),
          "fs.s3a.endpoint.region", s3.region(),
          "fs.s3a.access.key", s3.accessKey(),
          "fs.s3a.secret.key", s3.secretKey(),
          "fs.s3a.path.style.access", "true",
          "fs.s3a.connection.ssl.enabled", "false"));
      assertThat(config.toString()).doesNotContain(s3.secretKey());
      try (HiveMetastoreServer hms = HiveMetastoreServer.start(config);
          Client hive = Client.connect(hms.port())) {
        hive.api().create_database(new Database("lake", "", "s3a://lake/warehouse/lake.db",
            Map.of()));
        Table table = table("lake", "events");
        table.getSd().setLocation("s3a://lake/events");
        hive.api().create_table(table);
        Partition partition = new Partition(List.of("2024-01-01"), "lake", "events", 0, 0,
            new StorageDescriptor(table.getSd()), Map.of());
        partition.getSd().setLocation("s3a://lake/events/day=2024-01-01");
        hive.api().add_partition(partition);

        assertThat(hive.api().get_table("lake", "events").getSd().getLocation())
            .isEqualTo("s3a://lake/events");
        assertThat(hive.api().get_partition_names("lake", "events", (short) -1))
            .containsExactly("day=2024-01-01");
        // the metastore created the table's and partition's directories on the endpoint
        assertThat(client.listObjectsV2(b -> b.bucket("lake").prefix("events")).contents())
            .extracting(o -> o.key())
            .contains("events/", "events/day=2024-01-01/");
      }
    }
  }

  @Test
  void listensOnTheLoopbackInterfaceOnly() throws Exception {
    try (HiveMetastoreServer hms = HiveMetastoreServer.start(config("hms_loopback"))) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hms.port()), 2000);
        assertThat(s.isConnected()).isTrue();
      }
      Optional<InetAddress> external = nonLoopbackAddress();
      assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
      try (Socket s = new Socket()) {
        assertThatThrownBy(() -> s.connect(new InetSocketAddress(external.get(), hms.port()),
            2000)).isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void aBusyPortIsAClearError() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      HiveMetastoreServer.Config config = config("hms_busy").withPort(busy.getLocalPort());
      assertThatThrownBy(() -> HiveMetastoreServer.start(config))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + busy.getLocalPort())
          .hasMessageContaining("0 for any free one");
    }
  }

  @Test
  void aBadConfigurationNamesTheSettingAndNeverShowsThePassword() {
    assertThatThrownBy(() -> HiveMetastoreServer.Config.of("jdbc:mysql://h/db", "u", "p",
        "file:/tmp/w")).hasMessageContaining("jdbcUrl").hasMessageContaining("jdbc:postgresql");
    assertThatThrownBy(() -> HiveMetastoreServer.Config.of("jdbc:postgresql://h/db", "u", "p",
        "no-scheme")).hasMessageContaining("warehouse no-scheme");
    assertThat(HiveMetastoreServer.Config.of("jdbc:postgresql://h/db", "u", "s3cr3t",
        "file:/tmp/w").toString()).doesNotContain("s3cr3t");
    assertThatThrownBy(() -> HiveMetastoreServer.start(HiveMetastoreServer.Config.of(
        postgres.jdbcUrl(), postgres.user(), "wrong-password", "file:/tmp/w")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("check the JDBC url, user and password")
        .hasMessageNotContaining("wrong-password");
  }

  private static Table table(String db, String name) {
    StorageDescriptor sd = new StorageDescriptor();
    sd.setCols(List.of(new FieldSchema("id", "bigint", null),
        new FieldSchema("amount", "double", null)));
    sd.setLocation(warehouse.resolve("ext-" + name).toUri().toString());
    sd.setInputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
    sd.setOutputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
    sd.setSerdeInfo(new SerDeInfo(null,
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Map.of()));
    Table t = new Table();
    t.setDbName(db);
    t.setTableName(name);
    t.setTableType("EXTERNAL_TABLE");
    t.setParameters(Map.of("EXTERNAL", "TRUE"));
    t.setSd(sd);
    t.setPartitionKeys(List.of(new FieldSchema("day", "string", null)));
    return t;
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  /** A plain Thrift client of the metastore, as the edx provider and Spark's client speak. */
  private record Client(TSocket socket, ThriftHiveMetastore.Client api) implements AutoCloseable {
    static Client connect(int port) throws Exception {
      TSocket socket = new TSocket("127.0.0.1", port, 10_000);
      socket.open();
      return new Client(socket, new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)));
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
