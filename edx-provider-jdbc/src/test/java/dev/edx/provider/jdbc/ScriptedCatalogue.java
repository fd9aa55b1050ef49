package dev.edx.provider.jdbc;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A double of a database server for the dialects no server of which runs in the build (SQL
 * Server, Oracle, Snowflake, Teradata): queries are answered with the rows scripted for their
 * exact SQL (any other query fails), and every statement sent is recorded, in order. It models
 * no SQL: it shows what edx sends and what it makes of the answers, not what a server does.
 */
final class ScriptedCatalogue {
  private final Map<String, List<List<Object>>> answers = new HashMap<>();
  private final List<String> sent = new ArrayList<>();
  private int commits;

  /** Answers {@code query} with {@code rows} (each a list of column values). */
  ScriptedCatalogue answer(String query, List<List<Object>> rows) {
    answers.put(query, rows);
    return this;
  }

  /** The statements sent so far, queries included, in order. */
  synchronized List<String> sent() {
    return List.copyOf(sent);
  }

  synchronized int commits() {
    return commits;
  }

  /** Forgets what was sent. */
  synchronized void clear() {
    sent.clear();
    commits = 0;
  }

  DataSource dataSource() {
    return proxy(DataSource.class, (name, args) -> {
      if (name.equals("getConnection")) {
        return connection();
      }
      throw new UnsupportedOperationException("DataSource." + name);
    });
  }

  private Connection connection() {
    return proxy(Connection.class, (name, args) -> switch (name) {
      case "createStatement" -> statement(null);
      case "prepareStatement" -> statement((String) args[0]);
      case "getAutoCommit" -> true;
      case "setAutoCommit", "rollback", "close" -> null;
      case "commit" -> {
        synchronized (this) {
          commits++;
        }
        yield null;
      }
      case "isClosed" -> false;
      default -> throw new UnsupportedOperationException("Connection." + name);
    });
  }

  private PreparedStatement statement(String prepared) {
    if (prepared != null) {
      record(prepared);
    }
    return proxy(PreparedStatement.class, (name, args) -> switch (name) {
      case "execute" -> {
        if (args != null) {
          record((String) args[0]);
        }
        yield false;
      }
      case "executeUpdate" -> {
        record((String) args[0]);
        yield 0;
      }
      case "executeQuery" -> {
        String sql = args == null ? prepared : (String) args[0];
        if (args != null) {
          record(sql);
        }
        List<List<Object>> rows = answers.get(sql);
        if (rows == null) {
          throw new SQLException("no answer scripted for: " + sql);
        }
        yield resultSet(rows);
      }
      case "setString", "setLong", "close" -> null;
      default -> throw new UnsupportedOperationException("Statement." + name);
    });
  }

  private synchronized void record(String sql) {
    sent.add(sql);
  }

  private static ResultSet resultSet(List<List<Object>> rows) {
    Iterator<List<Object>> it = rows.iterator();
    List<Object>[] current = new List[1];
    return proxy(ResultSet.class, (name, args) -> switch (name) {
      case "next" -> {
        current[0] = it.hasNext() ? it.next() : null;
        yield current[0] != null;
      }
      case "getString" -> {
        Object v = current[0].get((Integer) args[0] - 1);
        yield v == null ? null : String.valueOf(v);
      }
      case "getLong" -> ((Number) current[0].get((Integer) args[0] - 1)).longValue();
      case "getInt" -> ((Number) current[0].get((Integer) args[0] - 1)).intValue();
      case "close" -> null;
      default -> throw new UnsupportedOperationException("ResultSet." + name);
    });
  }

  /** A method's answer, by name and arguments. */
  private interface Answer {
    Object apply(String name, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, Answer answer) {
    return type.cast(Proxy.newProxyInstance(ScriptedCatalogue.class.getClassLoader(),
        new Class<?>[] {type}, (self, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "toString" -> type.getSimpleName() + " of a scripted catalogue";
              case "hashCode" -> System.identityHashCode(self);
              default -> self == args[0];
            };
          }
          return answer.apply(method.getName(), args);
        }));
  }

  static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
