package dev.edx.cli;

import dev.edx.api.Environment;
import dev.edx.api.Metastore;
import dev.edx.api.Table;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.NoSuchDatabaseException;
import dev.edx.api.exceptions.NoSuchTableException;
import dev.edx.core.HiveDdl;
import java.io.PrintWriter;
import java.util.ArrayList;
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

/** {@code edx tables}: the tables of an environment's metastore, for engines that query them. */
@Command(name = "tables", mixinStandardHelpOptions = true,
    description = "The tables registered in the environment's metastore.",
    subcommands = TablesCommand.Ddl.class)
final class TablesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code edx tables ddl}: {@link HiveDdl} for each table, or the one given. */
  @Command(name = "ddl", mixinStandardHelpOptions = true,
      description = "Print the CREATE statement that makes a table edx registered queryable by"
          + " Spark SQL, Trino (Hive connector) or Athena.")
  static final class Ddl implements Callable<Integer> {
    @Mixin
    EdxMain.EnvironmentOptions options = new EdxMain.EnvironmentOptions();

    @Option(names = "--dialect", paramLabel = "DIALECT", required = true,
        converter = DialectConverter.class, description = "spark, trino or athena.")
    HiveDdl.Dialect dialect;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TABLE",
        description = "database.table, or a database for all its tables (default: every table).")
    String table;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Environment env = options.open()) {
        List<Table> tables = tables(env.metastore());
        String separator = "";
        for (Table t : tables) {
          String ddl = HiveDdl.render(t.definition(), dialect);
          out.print(separator + ddl + (ddl.endsWith(";") ? "" : ";") + System.lineSeparator());
          separator = System.lineSeparator();
        }
        if (tables.isEmpty()) {
          spec.commandLine().getErr().println("edx: no tables in " + options.describe());
        }
      }
      return 0;
    }

    private List<Table> tables(Metastore metastore) {
      List<TableId> ids = new ArrayList<>();
      if (table == null) {
        for (String database : metastore.listDatabases().stream().sorted().toList()) {
          try {
            ids.addAll(metastore.listTables(database));
          } catch (NoSuchDatabaseException e) {
            // dropped since it was listed (another command's): nothing of it to print
          }
        }
      } else {
        String database = table.contains(".") ? table.substring(0, table.indexOf('.')) : table;
        if (!metastore.listDatabases().contains(database)) {
          throw new NoSuchDatabaseException(database, "Cannot print the DDL of " + table
              + ": no database " + database + " in " + options.describe()
              + " (edx sql \"SHOW TABLES\" lists the tables)");
        }
        if (table.contains(".")) {
          ids.add(TableId.of(database, table.substring(database.length() + 1)));
        } else {
          ids.addAll(metastore.listTables(database));
        }
      }
      List<Table> tables = new ArrayList<>();
      for (TableId id : ids) {
        tables.add(metastore.loadTable(id).orElseThrow(() -> new NoSuchTableException(
            id.toString(), "Cannot print the DDL of " + id + ": no such table in "
                + options.describe() + " (edx sql \"SHOW TABLES\" lists the tables)")));
      }
      return tables;
    }
  }

  /** Parses {@code --dialect}. */
  static final class DialectConverter implements CommandLine.ITypeConverter<HiveDdl.Dialect> {
    @Override
    public HiveDdl.Dialect convert(String value) {
      try {
        return HiveDdl.Dialect.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("Invalid --dialect '" + value
            + "': use spark, trino or athena");
      }
    }
  }
}
