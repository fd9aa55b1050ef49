package dev.edx.gha.spark;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Column;
import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.gha.tables.TableBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * tables on Spark: the pipeline's {@link TableBuilder} decides what to build (partitions,
 * fingerprints, markers) and registers the tables in the environment's metastore from the
 * driver; this engine builds each partition with Spark SQL, reading the lake files through S3A
 * and writing the partition's one Parquet file, which the driver puts at the partition's key
 * ({@code <database>/<table>/<keys>/part-00000.parquet}).
 */
final class SparkTables implements TableBuilder.PartitionEngine {
  static final String ENGINE = "spark";

  private final SparkSession spark;
  private final ObjectStorage storage;
  private final String run;

  SparkTables(SparkSession spark, ObjectStorage storage, String run) {
    this.spark = requireNonNull(spark, "spark is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.run = requireNonNull(run, "run is null");
  }

  @Override
  public String name() {
    return ENGINE;
  }

  @Override
  public TableBuilder.Built build(String query, List<String> partitionKeys,
      List<ObjectInfo> inputs, ObjectRef part) {
    String[] paths = inputs.stream().map(i -> storage.uri(i.ref()).toString())
        .toArray(String[]::new);
    String tmpPrefix = "_edx/spark/" + run + "/tables/" + part.key() + "/";
    String tmpUri = SparkConvert.folderUri(storage, part.bucket(), tmpPrefix);
    spark.sparkContext().setJobDescription("edx tables " + part);
    try {
      spark.read().parquet(paths).createOrReplaceTempView("events");
      Dataset<Row> result = spark.sql(query);
      List<Column> columns = new ArrayList<>();
      for (StructField field : result.schema().fields()) {
        if (!partitionKeys.contains(field.name())) {
          columns.add(Column.of(field.name(), field.dataType().catalogString()));
        }
      }
      result.coalesce(1).write().mode(SaveMode.Overwrite).option("compression", "zstd")
          .parquet(tmpUri);
      List<String> written = keys(part.bucket(), tmpPrefix).stream()
          .filter(k -> k.endsWith(".parquet")).toList();
      if (written.size() != 1) {
        throw new IllegalStateException("Cannot build partition " + part + ": Spark wrote "
            + written.size() + " Parquet files under " + part.bucket() + "/" + tmpPrefix
            + " where one was expected");
      }
      long rows = spark.read().parquet(tmpUri).count();
      storage.copy(ObjectRef.of(part.bucket(), written.get(0)), part);
      return new TableBuilder.Built(rows, columns);
    } finally {
      storage.deleteAll(part.bucket(), keys(part.bucket(), tmpPrefix));
    }
  }

  private List<String> keys(String bucket, String prefix) {
    try (Stream<ObjectInfo> list = storage.list(bucket, prefix)) {
      return list.map(i -> i.ref().key()).collect(Collectors.toList());
    }
  }
}
