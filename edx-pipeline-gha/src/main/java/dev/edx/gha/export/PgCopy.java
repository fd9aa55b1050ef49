package dev.edx.gha.export;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * PostgreSQL's {@code COPY ... FROM STDIN} through pgjdbc's {@code CopyManager}, reached by
 * unwrapping a pooled connection to {@code org.postgresql.PGConnection} and by reflection, so the
 * pipeline needs no compile-time dependency on the driver. Absent (empty) for any other driver.
 * The copy runs on the connection's own transaction.
 */
final class PgCopy {
  private static final String PG_CONNECTION = "org.postgresql.PGConnection";

  private final Object copyManager;
  private final Method copyIn;

  private PgCopy(Object copyManager, Method copyIn) {
    this.copyManager = copyManager;
    this.copyIn = copyIn;
  }

  /** pgjdbc's copy API of {@code c}, when {@code c} is (or wraps) a pgjdbc connection. */
  static Optional<PgCopy> find(Connection c) throws SQLException {
    Connection raw = c.isWrapperFor(Connection.class) ? c.unwrap(Connection.class) : c;
    Class<?> type;
    try {
      type = Class.forName(PG_CONNECTION, false, raw.getClass().getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
    if (!c.isWrapperFor(type)) {
      return Optional.empty();
    }
    Object pg = c.unwrap(type);
    try {
      Object manager = type.getMethod("getCopyAPI").invoke(pg);
      Method copyIn = Class.forName("org.postgresql.copy.CopyManager", false,
          type.getClassLoader()).getMethod("copyIn", String.class, Reader.class);
      return Optional.of(new PgCopy(manager, copyIn));
    } catch (ReflectiveOperationException e) {
      return Optional.empty(); // a pgjdbc without this API: batched inserts instead
    }
  }

  /** Runs {@code sql} ({@code COPY ... FROM STDIN}) with {@code data}; returns the rows. */
  long copyIn(String sql, Reader data) throws SQLException, IOException {
    try {
      return (Long) copyIn.invoke(copyManager, sql, data);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException s) {
        throw s;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("COPY failed: " + cause, cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("Cannot call pgjdbc's CopyManager.copyIn: " + e, e);
    }
  }
}
