package dev.edx.gha.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line splitting into batches: line ends, empty and over-long lines, batch boundaries. */
class LineBatchesTest {
  /** "number:text" for each line, or "number:too long (n)". */
  private static List<String> lines(byte[] input, int maxLineBytes, int readSize)
      throws IOException {
    InputStream in = new FilterInputStream(new ByteArrayInputStream(input)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, readSize));
      }
    };
    LineBatches batches = new LineBatches(in, maxLineBytes);
    List<String> out = new ArrayList<>();
    LineBatches.Batch b;
    while ((b = batches.next()) != null) {
      assertThat(b.count()).isPositive();
      for (int i = 0; i < b.count(); i++) {
        out.add(b.lineNumbers()[i] + ":" + (b.fullLengths()[i] > maxLineBytes
            ? "too long (" + b.fullLengths()[i] + ")"
            : new String(b.data(), b.starts()[i], b.lengths()[i], StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void splitsOnNewlinesDropsCarriageReturnsAndSkipsEmptyLines() throws IOException {
    for (int readSize : new int[] {1, 3, 1 << 20}) {
      assertThat(lines(bytes("a\r\n\nbc\n\r\nd"), 100, readSize))
          .containsExactly("1:a", "3:bc", "5:d");
    }
    assertThat(lines(new byte[0], 100, 10)).isEmpty();
    assertThat(lines(bytes("\n\n\n"), 100, 10)).isEmpty();
  }

  @Test
  void linesOverTheLimitAreListedWithTheirLengthOnly() throws IOException {
    String longLine = "x".repeat(1000);
    assertThat(lines(bytes("a\n" + longLine + "\nb\n" + longLine), 999, 7))
        .containsExactly("1:a", "2:too long (1000)", "3:b", "4:too long (1000)");
    // Longer than a batch's array: skipped without being held.
    String huge = "y".repeat(3 * LineBatches.BATCH_BYTES);
    assertThat(lines(bytes("a\n" + huge + "\nb"), LineBatches.BATCH_BYTES, 1 << 16))
        .containsExactly("1:a", "2:too long (" + huge.length() + ")", "3:b");
  }

  @Test
  void keepsLinesWholeAcrossBatchesAndGrowsForLongOnes() throws IOException {
    StringBuilder in = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 5000; i++) {
      String line = i % 1000 == 0 ? "L" + "z".repeat(LineBatches.BATCH_BYTES * 2) : "line " + i;
      in.append(line).append('\n');
      expected.add(i + ":" + line);
    }
    assertThat(lines(bytes(in.toString()), 64 << 20, 4096)).isEqualTo(expected);
  }
}
