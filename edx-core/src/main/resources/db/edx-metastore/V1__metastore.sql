-- edx metastore, version 1: databases, external tables (versioned for optimistic concurrency) and
-- their partitions. Flyway runs this in the configured schema (search_path is set to it).
-- Names and partition values use the "C" collation: byte order, the same on every server, and
-- the order listPartitions and listTables promise.

CREATE TABLE databases (
  name        text COLLATE "C" PRIMARY KEY,
  location    text,
  properties  jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tables (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  database_name   text COLLATE "C" NOT NULL REFERENCES databases (name) ON DELETE CASCADE,
  table_name      text COLLATE "C" NOT NULL,
  location        text NOT NULL,
  format          text NOT NULL,
  columns         jsonb NOT NULL,
  partition_keys  jsonb NOT NULL,
  properties      jsonb NOT NULL DEFAULT '{}'::jsonb,
  comment         text,
  version         bigint NOT NULL CHECK (version >= 1),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tables_name_unique UNIQUE (database_name, table_name)
);

-- One row per partition; the primary key is also the index listing scans, in value order.
CREATE TABLE partitions (
  table_id     bigint NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
  part_values  text[] COLLATE "C" NOT NULL,
  location     text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_id, part_values)
);
