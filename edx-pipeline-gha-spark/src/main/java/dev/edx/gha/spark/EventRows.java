package dev.edx.gha.spark;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The lake's rows in Spark: the Spark schema derived from the converter's Parquet schema (so the
 * columns, their types and which are required are the converter's), and the converter's values
 * ({@code EventRecords}) as Spark rows.
 */
final class EventRows {
  private EventRows() {}

  /** The Spark schema of a Parquet group: required fields are not nullable. */
  static StructType schema(GroupType group) {
    List<StructField> fields = new ArrayList<>();
    for (Type field : group.getFields()) {
      fields.add(DataTypes.createStructField(field.getName(), type(field),
          field.getRepetition() != Type.Repetition.REQUIRED));
    }
    return DataTypes.createStructType(fields);
  }

  private static DataType type(Type field) {
    if (!field.isPrimitive()) {
      return schema(field.asGroupType());
    }
    PrimitiveType p = field.asPrimitiveType();
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    switch (p.getPrimitiveTypeName()) {
      case BOOLEAN:
        return DataTypes.BooleanType;
      case INT32:
        return DataTypes.IntegerType;
      case INT64:
        if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t
            && t.isAdjustedToUTC()) {
          return DataTypes.TimestampType;
        }
        if (logical == null) {
          return DataTypes.LongType;
        }
        break;
      case BINARY:
        if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
          return DataTypes.StringType;
        }
        break;
      default:
        break;
    }
    throw new IllegalStateException("Cannot map the lake column " + field + " to Spark: no"
        + " mapping for its type (add one to EventRows)");
  }

  /** One converter value list as a row: groups as nested rows, instants as timestamps. */
  static Row row(Object[] values) {
    Object[] converted = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v instanceof Object[] group) {
        converted[i] = row(group);
      } else if (v instanceof Instant instant) {
        converted[i] = Timestamp.from(instant);
      } else {
        converted[i] = v;
      }
    }
    return RowFactory.create(converted);
  }
}
