package dev.edx.gha.export;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.SQLException;
import java.util.UUID;

/** DuckDB's JDBC values as any JDBC driver takes them ({@code setObject}). */
final class JdbcValues {
  private JdbcValues() {}

  static Object of(Object value) throws SQLException {
    if (value instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (value instanceof UUID u) {
      return u.toString();
    }
    if (value instanceof Blob b) {
      return b.getBytes(1, Math.toIntExact(b.length()));
    }
    return value;
  }
}
