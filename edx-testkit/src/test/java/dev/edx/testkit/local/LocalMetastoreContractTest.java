package dev.edx.testkit.local;

import dev.edx.core.local.LocalMetastore;
import dev.edx.testkit.MetastoreContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class LocalMetastoreContractTest extends MetastoreContract<LocalMetastore> {
  @TempDir
  Path folder;

  private LocalMetastore metastore;

  @BeforeEach
  void open() {
    metastore = new LocalMetastore(folder.resolve("metastore"), List.of(), "contract");
  }

  @Override
  protected LocalMetastore metastore() {
    return metastore;
  }
}
