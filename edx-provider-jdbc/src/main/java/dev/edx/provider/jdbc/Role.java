package dev.edx.provider.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A role a {@code jdbc} data store declares ({@code roles:}): a {@code NOLOGIN} role, meant to be
 * granted to users, with access to some of the store's declared schemas. Names are physical (the
 * name prefix applied).
 *
 * @param name the role's name
 * @param adopt whether edx may take over an existing role it does not own
 * @param schemas the schemas the role reaches
 * @param access what it may do in them
 */
record Role(String name, boolean adopt, List<String> schemas, Access access) {
  /** What a role may do in its schemas. */
  enum Access {
    /** Use the schema and select its tables. */
    READ,
    /** Also insert, update and delete rows. */
    WRITE
  }

  Role {
    requireNonNull(name, "name is null");
    schemas = List.copyOf(requireNonNull(schemas, "schemas is null"));
    requireNonNull(access, "access is null");
  }
}
