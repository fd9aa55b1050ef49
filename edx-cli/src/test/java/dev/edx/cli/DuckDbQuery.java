package dev.edx.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;

/**
 * The peer of {@link PlatformBenchmark}: a process that runs one query with DuckDB (its JDBC
 * driver, in-memory, no extension downloads) and prints the rows, one per line, values separated
 * by {@code |}.
 */
public final class DuckDbQuery {
  private DuckDbQuery() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET autoinstall_known_extensions = false");
      try (ResultSet r = s.executeQuery(args[0])) {
        ResultSetMetaData meta = r.getMetaData();
        StringBuilder out = new StringBuilder();
        while (r.next()) {
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            out.append(i > 1 ? "|" : "").append(r.getString(i));
          }
          out.append('\n');
        }
        System.out.print(out);
      }
    }
  }
}
