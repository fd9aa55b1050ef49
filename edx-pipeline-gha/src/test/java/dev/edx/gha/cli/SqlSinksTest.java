package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code edx sql}'s output formats: each streams, CSV quotes, JSON is one valid document. */
class SqlSinksTest {
  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text, true);

  @Test
  void tableStreamsOnceItHasSeenItsSample() throws IOException {
    SqlEngine.RowSink sink = SqlEngine.Format.TABLE.sink(out);
    sink.start(List.of("n", "word"));
    for (int i = 0; i < SqlEngine.TableSink.SAMPLE; i++) {
      sink.row(List.of(i, "w" + i));
    }
    assertThat(text.toString()).startsWith("n   | word").contains("199 | w199");
    sink.row(Arrays.asList(200, null));
    assertThat(text.toString()).contains("200 | NULL");
    sink.end(201);
    assertThat(text.toString()).endsWith("(201 rows)" + System.lineSeparator());
  }

  @Test
  void csvQuotesOnlyWhatItMust() throws IOException {
    SqlEngine.RowSink sink = SqlEngine.Format.CSV.sink(out);
    sink.start(List.of("a", "b,c"));
    sink.row(Arrays.asList("x", "say \"hi\"\nbye"));
    sink.row(Arrays.asList(null, 3));
    sink.end(2);
    assertThat(text.toString()).isEqualTo("a,\"b,c\"\r\nx,\"say \"\"hi\"\"\nbye\"\r\n,3\r\n");
  }

  @Test
  void jsonIsOneDocumentWithTypedValues() throws IOException {
    SqlEngine.RowSink sink = SqlEngine.Format.JSON.sink(out);
    sink.start(List.of("n", "ok", "s"));
    sink.row(Arrays.asList(1L, true, "x\"y"));
    sink.row(Arrays.asList(2.5, null, "z"));
    sink.end(2);
    assertThat(new ObjectMapper().readTree(text.toString()).toString()).isEqualTo(
        "{\"formatVersion\":1,\"columns\":[\"n\",\"ok\",\"s\"],"
            + "\"rows\":[[1,true,\"x\\\"y\"],[2.5,null,\"z\"]],\"count\":2}");
  }
}
