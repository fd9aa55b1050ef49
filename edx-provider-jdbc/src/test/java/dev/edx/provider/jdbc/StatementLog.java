package dev.edx.provider.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that records the SQL of every statement run through it (executed, or
 * prepared) before passing it on to the real one: to count what a call sends to the server.
 */
final class StatementLog {
  private StatementLog() {}

  /** {@code dataSource}, recording each statement's SQL into {@code log}. */
  static DataSource wrap(DataSource dataSource, List<String> log) {
    return proxy(DataSource.class, dataSource, log);
  }

  private static <T> T proxy(Class<T> type, Object target, List<String> log) {
    return type.cast(Proxy.newProxyInstance(StatementLog.class.getClassLoader(),
        new Class<?>[] {type}, (self, method, args) -> {
          String name = method.getName();
          if (args != null && args.length > 0 && args[0] instanceof String sql
              && (name.startsWith("execute") || name.equals("prepareStatement"))) {
            log.add(sql);
          }
          Object result;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          Class<?> returned = method.getReturnType();
          if (returned == Connection.class || returned == Statement.class
              || returned == PreparedStatement.class) {
            return proxy(returned, result, log);
          }
          return result;
        }));
  }
}
