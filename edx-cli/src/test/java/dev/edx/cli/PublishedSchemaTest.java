package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The published spec schema ({@code docs/edx-spec.schema.json}, for editors) is the one the
 * launcher generates from the providers it ships: regenerate it with {@code ./edx env schema >
 * docs/edx-spec.schema.json} when a provider's settings change.
 */
class PublishedSchemaTest {
  @Test
  void publishedSchemaIsCurrent() throws IOException {
    StringWriter out = new StringWriter();
    int code = EdxMain.run(new String[] {"env", "schema"}, new PrintWriter(out, true),
        new PrintWriter(new StringWriter(), true));
    assertThat(code).isZero();
    Path published = Path.of("..", "docs", "edx-spec.schema.json");
    assertThat(Files.readString(published))
        .as("docs/edx-spec.schema.json is stale: run ./edx env schema > docs/edx-spec.schema.json")
        .isEqualTo(out.toString());
  }
}
