package dev.edx.gha.cli;

import dev.edx.api.Environment;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edx sql "SELECT ..."}: queries the registered tables with the embedded engine. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Query the registered tables (e.g. gha.events, gha_dm.t1) with DuckDB.")
final class SqlCommand implements Callable<Integer> {
  @Mixin
  EnvironmentOptions options = new EnvironmentOptions();

  @Parameters(paramLabel = "SQL", description = "The query.")
  String sql;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Environment env = options.open()) {
      SqlEngine.print(SqlEngine.query(env, sql), spec.commandLine().getOut());
    } catch (SQLException e) {
      throw new IllegalArgumentException("Cannot run the query: "
          + CommandLines.oneLine(e.getMessage()) + " (SHOW TABLES lists the tables)", e);
    }
    return 0;
  }
}
