package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two spellings of S3 locations (what Glue stores, on moto: GlueOnMotoContractTest). */
class S3LocationsTest {
  @Test
  void s3aAndS3nAreStoredAsS3AndReadBackAsS3aOtherSchemesPassUnchanged() {
    assertThat(S3Locations.toGlue("s3a://lake/events/year=2015")).isEqualTo(
        "s3://lake/events/year=2015");
    assertThat(S3Locations.toGlue("S3A://lake/x")).isEqualTo("s3://lake/x");
    assertThat(S3Locations.toGlue("s3n://lake/x")).isEqualTo("s3://lake/x");
    assertThat(S3Locations.toGlue("s3://lake/x")).isEqualTo("s3://lake/x");
    assertThat(S3Locations.fromGlue("s3://lake/events")).isEqualTo("s3a://lake/events");
    assertThat(S3Locations.fromGlue("s3a://lake/events")).isEqualTo("s3a://lake/events");
    for (String other : new String[] {"file:/tmp/lake/events", "hdfs://nn/lake", "", "s3"}) {
      assertThat(S3Locations.toGlue(other)).isEqualTo(other);
      assertThat(S3Locations.fromGlue(other)).isEqualTo(other);
    }
  }
}
