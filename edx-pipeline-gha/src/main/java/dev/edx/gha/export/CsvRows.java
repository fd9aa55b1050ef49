package dev.edx.gha.export;

import java.io.IOException;
import java.io.Reader;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * The rows of a result set as PostgreSQL's CSV ({@code COPY ... WITH (FORMAT csv)}), produced as
 * they are read, a batch of rows at a time, so no partition is held whole. NULL is an unquoted
 * empty field; every text is quoted (so an empty text stays empty, not NULL); binary is {@code
 * \x} hex.
 */
final class CsvRows extends Reader {
  private static final int ROWS_PER_FILL = 500;
  private final ResultSet rs;
  private final int columns;
  private final StringBuilder buffer = new StringBuilder();
  private int position;
  private boolean done;

  CsvRows(ResultSet rs, List<String> hiveTypes) {
    this.rs = rs;
    this.columns = hiveTypes.size();
  }

  @Override
  public int read(char[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (position >= buffer.length()) {
      if (done) {
        return -1;
      }
      fill();
    }
    int n = Math.min(length, buffer.length() - position);
    buffer.getChars(position, position + n, target, offset);
    position += n;
    return n;
  }

  private void fill() throws IOException {
    buffer.setLength(0);
    position = 0;
    try {
      for (int r = 0; r < ROWS_PER_FILL; r++) {
        if (!rs.next()) {
          done = true;
          return;
        }
        for (int i = 1; i <= columns; i++) {
          if (i > 1) {
            buffer.append(',');
          }
          append(rs.getObject(i));
        }
        buffer.append('\n');
      }
    } catch (SQLException e) {
      throw new IOException("Cannot read the rows to copy: " + e.getMessage(), e);
    }
  }

  private void append(Object value) throws SQLException {
    Object v = JdbcValues.of(value);
    if (v == null) {
      return;
    }
    if (v instanceof Number || v instanceof Boolean) {
      buffer.append(v);
    } else if (v instanceof byte[] bytes) {
      buffer.append("\\x").append(HexFormat.of().formatHex(bytes));
    } else if (v instanceof OffsetDateTime t) {
      buffer.append(t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    } else {
      buffer.append('"').append(v.toString().replace("\"", "\"\"")).append('"');
    }
  }

  @Override
  public void close() {}
}
