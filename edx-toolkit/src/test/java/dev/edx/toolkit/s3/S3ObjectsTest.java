package dev.edx.toolkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectRef;
import dev.edx.api.exceptions.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class S3ObjectsTest {
  @Test
  void etagsLoseTheirQuotes() {
    assertThat(S3Objects.etag("\"abc-3\"")).hasValue("abc-3");
    assertThat(S3Objects.etag("abc")).hasValue("abc");
    assertThat(S3Objects.etag("\"\"")).isEmpty();
    assertThat(S3Objects.etag(null)).isEmpty();
  }

  @Test
  void uriIsS3a() {
    assertThat(S3Objects.s3a(ObjectRef.of("lake", "events/year=2015/part 0.parquet")))
        .hasToString("s3a://lake/events/year=2015/part%200.parquet");
  }

  @Test
  void presignExpiryIsOneSecondToSevenDays() {
    ObjectRef ref = ObjectRef.of("lake", "x");
    S3Objects.checkPresignExpiry(ref, Duration.ofDays(7), "GET");
    assertThatThrownBy(() -> S3Objects.checkPresignExpiry(ref, Duration.ofDays(8), "GET"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 days")
        .hasMessageContaining("GET of lake/x");
    assertThatThrownBy(() -> S3Objects.checkPresignExpiry(ref, Duration.ZERO, "PUT"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deletesGoInBatchesOfAThousandCheckedFirst() {
    List<String> keys = IntStream.range(0, 2500).mapToObj(i -> "k/" + i).toList();
    assertThat(S3Objects.deleteBatches("lake", keys)).extracting(List::size)
        .containsExactly(1000, 1000, 500);
    assertThat(S3Objects.deleteBatches("lake", List.of())).isEmpty();
    assertThatThrownBy(() -> S3Objects.deleteBatches("lake", List.of("ok", "")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failuresOfABatchDeleteAreOneErrorNamingSome() {
    S3Objects.requireNoFailures("delete 2 objects", "http://s3", List.of());
    assertThatThrownBy(() -> S3Objects.requireNoFailures("delete 2 objects", "http://s3",
        List.of("a (AccessDenied: no)", "b (AccessDenied: no)")))
        .isInstanceOf(ProviderException.class)
        .hasMessage("Cannot delete 2 objects on http://s3: 2 failed, such as"
            + " [a (AccessDenied: no), b (AccessDenied: no)]");
  }

  @Test
  void writeTimesAreTheServersDateHeader() {
    assertThat(S3Objects.serverTime(Optional.of("Tue, 15 Nov 1994 08:12:31 GMT")))
        .isEqualTo(Instant.parse("1994-11-15T08:12:31Z"));
    Instant before = Instant.now();
    assertThat(S3Objects.serverTime(Optional.empty())).isAfterOrEqualTo(before);
    assertThat(S3Objects.serverTime(Optional.of("yesterday"))).isAfterOrEqualTo(before);
  }

  @Test
  void partSizeSettingKeepsToS3sLimits() {
    assertThat(S3Limits.partSize("Part size.", 8L << 20, "8MiB").descriptor().defaultValue())
        .hasValue("8MiB");
  }
}
