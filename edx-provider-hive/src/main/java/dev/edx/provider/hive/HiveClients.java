package dev.edx.provider.hive;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ProviderException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of Thrift connections to one metastore: at most {@code poolSize} calls at a time, each
 * on a connection of its own (a Thrift client is not thread safe). A connection whose transport
 * failed is closed, never reused.
 */
final class HiveClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HiveClients.class);

  /** One metastore call. */
  @FunctionalInterface
  interface Call<T> {
    T call(ThriftHiveMetastore.Iface client) throws TException;
  }

  /** No connection could be opened: nothing was sent. */
  static final class Unreachable extends TException {
    private static final long serialVersionUID = 1L;

    Unreachable(TTransportException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private record Connection(TSocket socket, ThriftHiveMetastore.Client client) {
    void close() {
      socket.close();
    }
  }

  private final HiveSettings settings;
  private final Semaphore permits;
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  HiveClients(HiveSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
    this.permits = new Semaphore(settings.poolSize(), true);
  }

  /**
   * Runs {@code call} on a connection. A transport failure on a connection that had been idle
   * (which the server may have dropped) is retried once on a new one when {@code idempotent}.
   *
   * @throws Unreachable when no connection can be opened
   * @throws TTransportException when the connection broke during the call
   * @throws TException what the call threw
   */
  <T> T call(String what, boolean idempotent, Call<T> call) throws TException {
    if (closed.get()) {
      throw new IllegalStateException("Cannot " + what + ": the hive metastore is closed");
    }
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException("Cannot " + what + ": interrupted while waiting for a"
          + " connection to " + settings.where(), e);
    }
    try {
      Connection reused = idle.poll();
      Connection connection = reused != null ? reused : open();
      try {
        return run(connection, call);
      } catch (TTransportException e) {
        if (reused == null || !idempotent) {
          throw e;
        }
        LOG.debug("Retrying '{}' on a new connection to {}: {}", what, settings.where(),
            e.toString());
        return run(open(), call);
      }
    } finally {
      permits.release();
    }
  }

  private <T> T run(Connection connection, Call<T> call) throws TException {
    boolean healthy = false;
    try {
      T result = call.call(connection.client());
      healthy = true;
      return result;
    } catch (TTransportException e) {
      throw e;
    } catch (TException e) {
      // the metastore answered (with one of its declared exceptions): the connection is fine,
      // unless it is a protocol-level failure
      healthy = !(e instanceof org.apache.thrift.TApplicationException)
          && !(e instanceof org.apache.thrift.protocol.TProtocolException);
      throw e;
    } finally {
      if (healthy && !closed.get()) {
        idle.offer(connection);
      } else {
        connection.close();
      }
    }
  }

  private Connection open() throws Unreachable {
    TSocket socket = new TSocket(settings.uri().getHost(), settings.uri().getPort(),
        (int) settings.socketTimeout().toMillis(), (int) settings.connectTimeout().toMillis());
    try {
      socket.open();
    } catch (TTransportException e) {
      throw new Unreachable(e);
    }
    return new Connection(socket, new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Connection c;
      while ((c = idle.poll()) != null) {
        c.close();
      }
    }
  }
}
