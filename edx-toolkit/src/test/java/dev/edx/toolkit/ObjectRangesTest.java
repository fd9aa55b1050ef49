package dev.edx.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectRef;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectRangesTest {
  private static final byte[] DIGITS = "0123456789".getBytes(StandardCharsets.US_ASCII);

  @Test
  void checkRefusesANegativeOffsetOrLengthNamingTheObject() {
    ObjectRef ref = ObjectRef.of("raw", "a.json");
    ObjectRanges.check(ref, 0, 0);
    assertThatThrownBy(() -> ObjectRanges.check(ref, -1, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot open " + ref + " at offset -1 for 5 bytes");
    assertThatThrownBy(() -> ObjectRanges.check(ref, 0, -5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boundedEndsAfterItsLengthWhateverTheReadsAndClosesTheStream() throws IOException {
    AtomicBoolean closed = new AtomicBoolean();
    InputStream source = new FilterInputStream(new ByteArrayInputStream(DIGITS)) {
      @Override
      public void close() throws IOException {
        closed.set(true);
        super.close();
      }
    };
    try (InputStream in = ObjectRanges.bounded(source, 4)) {
      assertThat(in.available()).isEqualTo(4);
      assertThat(in.read()).isEqualTo('0');
      assertThat(in.read(new byte[3], 0, 0)).isZero();
      byte[] buffer = new byte[8];
      assertThat(in.read(buffer, 0, 8)).isEqualTo(3);
      assertThat(new String(buffer, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("123");
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.read(buffer, 0, 8)).isEqualTo(-1);
      assertThat(in.available()).isZero();
      assertThat(in.markSupported()).isFalse();
    }
    assertThat(closed).isTrue();
    assertThat(source.read()).as("the rest is left in the stream").isEqualTo('4');
  }

  @Test
  void boundedSkipsWithinItsLengthAndEndsWhereTheStreamEnds() throws IOException {
    try (InputStream in = ObjectRanges.bounded(new ByteArrayInputStream(DIGITS), 6)) {
      assertThat(in.skip(100)).isEqualTo(6);
      assertThat(in.read()).isEqualTo(-1);
    }
    try (InputStream in = ObjectRanges.bounded(new ByteArrayInputStream(DIGITS), 100)) {
      assertThat(in.readAllBytes()).isEqualTo(DIGITS);
    }
    assertThat(ObjectRanges.bounded(new ByteArrayInputStream(DIGITS), 0).read()).isEqualTo(-1);
    assertThatThrownBy(() -> ObjectRanges.bounded(new ByteArrayInputStream(DIGITS), -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }

  @Test
  void boundedReadsARangeOfAFileFromAPositionedChannel(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("digits.txt"), DIGITS);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    channel.position(3);
    try (InputStream in = ObjectRanges.bounded(Channels.newInputStream(channel), 5)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("34567");
    }
    assertThat(channel.isOpen()).as("closed with the stream").isFalse();
  }
}
