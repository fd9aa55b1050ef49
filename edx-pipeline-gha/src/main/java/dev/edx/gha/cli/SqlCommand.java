package dev.edx.gha.cli;

import dev.edx.api.Environment;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edx sql "SELECT ..."}: queries the registered tables with the embedded engine. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Query the registered tables (e.g. gha.events, gha_dm.t1) with DuckDB;"
        + " SHOW TABLES lists them.")
final class SqlCommand implements Callable<Integer> {
  @Mixin
  EnvironmentOptions options = new EnvironmentOptions();

  @Parameters(paramLabel = "SQL", description = "The query.")
  String sql;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      converter = FormatConverter.class,
      description = "table (default), csv or json (one document with \"formatVersion\": 1);"
          + " rows stream as they are read.")
  SqlEngine.Format format;

  @Spec
  CommandSpec spec;

  /** DuckDB's message without the query it quotes back (a second line and a caret line). */
  static String message(SQLException e) {
    String text = String.valueOf(e.getMessage());
    int quoted = text.indexOf("\nLINE ");
    return CommandLines.oneLine(quoted < 0 ? text : text.substring(0, quoted));
  }

  /** The tables a query can name, for the error that names one that does not exist. */
  private static String tables(Environment env) {
    List<String> names = new ArrayList<>();
    for (String database : env.metastore().listDatabases()) {
      SqlEngine.tablesOf(env, database).forEach(id -> names.add(id.toString()));
    }
    Collections.sort(names);
    return names.isEmpty() ? " (the metastore has no tables yet)"
        : names.size() <= 8 ? " (the tables: " + String.join(", ", names) + ")"
        : " (SHOW TABLES lists the " + names.size() + " tables)";
  }

  /** Parses {@code --format}. */
  static final class FormatConverter implements CommandLine.ITypeConverter<SqlEngine.Format> {
    @Override
    public SqlEngine.Format convert(String value) {
      try {
        return SqlEngine.Format.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("Invalid --format '" + value
            + "': use table, csv or json");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    try (Environment env = options.open()) {
      try {
        SqlEngine.query(env, sql, format.sink(spec.commandLine().getOut()));
      } catch (SQLException e) {
        throw new IllegalArgumentException("Cannot run the query: " + message(e)
            + tables(env), e);
      }
    }
    return 0;
  }
}
