package dev.edx.provider.mongodb;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.DataStoreProvisionerContract;
import dev.edx.testkit.EdxCapability;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.bson.Document;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provisioner contract against the {@code mongodb} data store's collections, on
 * mongo-java-server (an in-JVM implementation of MongoDB's wire protocol, NOT MongoDB). A
 * resource is a namespace {@code database.collection}: the run's names {@code edxpXXXXXX.N} are
 * collection {@code N} of database {@code edxpXXXXXX}. The data is reached behind edx's back with
 * a plain client. The ownership record is written before the collection is made: an apply stopped
 * in between leaves a record without its collection, which the next apply completes.
 */
@ExtendWith(MongoJavaServer.Extension.class)
class MongoProvisionerContractAgainstMongoJavaServerTest
    extends DataStoreProvisionerContract<MongoJavaServer> {
  MongoProvisionerContractAgainstMongoJavaServerTest(MongoJavaServer server) {
    super(new MongoDataStoreProvider(), "docs", "collections", server);
  }

  @Override
  protected void connectionSettings(ServiceSpec.Builder section) {
    section.setSensitive("uri", server().uri());
  }

  @Override
  protected Object specValue(Declared declared) {
    return declared.specValue(Map.of("database", database(declared.name()),
        "name", collection(declared.name())));
  }

  private static String database(String namespace) {
    return namespace.substring(0, namespace.indexOf('.'));
  }

  private static String collection(String namespace) {
    return namespace.substring(namespace.indexOf('.') + 1);
  }

  private MongoDatabase db(String namespace) {
    return server().client().getDatabase(database(namespace));
  }

  @Override
  protected char separator() {
    return '.';
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case PROVISION_MULTI_STEP_CREATE -> true;
      default -> super.supports(capability);
    };
  }

  @Override
  protected void interruptCreate(String environment, String name) {
    // The ownership record written, the apply stopped before the collection was made.
    server().client().getDatabase("edx").getCollection("ownership").insertOne(
        new Document("_id", name).append("environment", environment).append("uuid", null));
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ZERO;
  }

  @Override
  protected void createUnowned(String name) {
    db(name).createCollection(collection(name));
  }

  @Override
  protected void putData(String name) {
    db(name).getCollection(collection(name)).insertOne(new Document("repo", "edx"));
  }

  @Override
  protected boolean holdsData(String name) {
    return db(name).getCollection(collection(name)).countDocuments() > 0;
  }

  @Override
  protected void deleteBehindBack(String name) {
    db(name).getCollection(collection(name)).drop();
  }

  @Override
  protected boolean exists(String name) {
    return StreamSupport.stream(db(name).listCollectionNames().spliterator(), false)
        .anyMatch(collection(name)::equals);
  }

  @Override
  protected Optional<String> owner(String name) {
    Document mark = server().client().getDatabase("edx").getCollection("ownership")
        .find(Filters.eq("_id", name)).first();
    if (mark == null) {
      return Optional.empty();
    }
    Document info = null;
    for (Document d : db(name).listCollections()) {
      if (collection(name).equals(d.getString("name"))) {
        info = d;
      }
    }
    Object uuid = info == null || info.get("info", Document.class) == null ? null
        : info.get("info", Document.class).get("uuid");
    if (info != null && mark.get("uuid") != null && !mark.get("uuid").equals(uuid)) {
      return Optional.empty(); // made again behind edx's back: not the one edx made
    }
    return Optional.of(mark.getString("environment"));
  }
}
