package dev.edx.provider.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a dialect needs beyond a schema's name to create it: Teradata's {@code CREATE DATABASE}
 * takes its space ({@code PERMANENT}, required) from an owner database ({@code FROM}, the
 * connecting user when absent). The other dialects need nothing.
 *
 * @param parentDatabase the database a new Teradata database takes its space from
 * @param permanentSpace the bytes of permanent space a new Teradata database reserves
 */
record SchemaOptions(Optional<String> parentDatabase, OptionalLong permanentSpace) {
  /** No options. */
  static final SchemaOptions NONE = new SchemaOptions(Optional.empty(), OptionalLong.empty());

  SchemaOptions {
    requireNonNull(parentDatabase, "parentDatabase is null");
    requireNonNull(permanentSpace, "permanentSpace is null");
  }
}
