package dev.edx.provider.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.edx.testkit.RunSharedResolver;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * mongo-java-server, an in-JVM implementation of MongoDB's wire protocol with an in-memory
 * backend: NOT MongoDB (no authentication, its own subset of commands), made to report MongoDB
 * 4.2's wire version, which driver 5 requires.
 * Shared by every test class of the run that asks for it as a parameter and closed when the run
 * ends. Also reaches the data behind edx's back, with a plain client.
 */
final class MongoJavaServer implements AutoCloseable {
  private final MongoServer server;
  private final String uri;
  private final MongoClient client;

  private MongoJavaServer(MongoServer server, InetSocketAddress address) {
    this.server = server;
    this.uri = "mongodb://" + address.getHostString() + ":" + address.getPort();
    this.client = MongoClients.create(uri);
  }

  /**
   * The version it reports: its newest (4.0, wire version 7) is older than driver 5 accepts
   * (wire version 8, MongoDB 4.2), so it reports 4.2's, while implementing what it implements.
   */
  private static final MongoVersion REPORTED = new MongoVersion() {
    @Override
    public List<Integer> getVersionArray() {
      return List.of(4, 2, 0);
    }

    @Override
    public int getWireVersion() {
      return 8;
    }
  };

  static MongoJavaServer start() {
    MongoServer server = new MongoServer(new MemoryBackend().version(REPORTED));
    server.bind("127.0.0.1", 0);
    return new MongoJavaServer(server, server.getLocalAddress());
  }

  String uri() {
    return uri;
  }

  MongoClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    server.shutdownNow();
  }

  /** Injects the run's server into test constructors, test methods and {@code @BeforeAll}. */
  static final class Extension extends RunSharedResolver<MongoJavaServer> {
    Extension() {
      super(MongoJavaServer.class, MongoJavaServer::start);
    }
  }
}
