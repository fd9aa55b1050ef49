package dev.edx.gha.tables;

import dev.edx.api.Environment;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.gha.Results;
import java.util.List;

/**
 * createtable as a task (see {@link TableBuilder}). Parameters: {@code lakeBucket},
 * {@code datamartBucket}, {@code result} ({@code bucket/key} for the table results) and
 * optionally {@code tables} (the YAML text of the tables; default the built-in set).
 */
public final class CreateTablesTask implements Task {

  @Override
  public void run(TaskContext context) throws Exception {
    Environment env = context.environment();
    String yaml = context.params().get("tables");
    List<TableSpec> specs = yaml == null || yaml.isBlank()
        ? TableSpec.parse(TableSpec.defaultYaml(), "default-tables.yaml")
        : TableSpec.parse(yaml, "--tables");
    List<TableBuilder.TableResult> results = new TableBuilder(env.storage(), env.metastore(),
        context.param("lakeBucket"), context.param("datamartBucket"), context::log)
        .build(specs);
    Results.write(env.storage(), Results.ref(context.param("result")), results);
  }
}
