package dev.edx.gha.export;

import dev.edx.api.TableId;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.gha.Results;

/**
 * export as a task (see {@link TableExporter}). Parameters: {@code table} ({@code
 * database.table}), {@code store} (the relational data store's name), {@code result} ({@code
 * bucket/key} for the {@link TableExporter.ExportResult}), and optionally {@code schema} and
 * {@code name} of the target table and {@code method} ({@code auto}: {@code COPY} where the
 * driver has it; {@code insert}: batched inserts always).
 */
public final class ExportTask implements Task {

  @Override
  public void run(TaskContext context) throws Exception {
    String table = context.param("table");
    int dot = table.indexOf('.');
    if (dot <= 0) {
      throw new IllegalArgumentException("Invalid task parameter table '" + table
          + "': use database.table, such as gha_dm.repo_daily");
    }
    TableId id = TableId.of(table.substring(0, dot), table.substring(dot + 1));
    String schema = context.params().get("schema");
    String name = context.params().get("name");
    TableExporter.ExportResult result = new TableExporter(context.environment(), context::log)
        .export(id, context.param("store"), blankToNull(schema), blankToNull(name),
            !"insert".equals(context.params().get("method")));
    Results.write(context.environment().storage(), Results.ref(context.param("result")), result);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
