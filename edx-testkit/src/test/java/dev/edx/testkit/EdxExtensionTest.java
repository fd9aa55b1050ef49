package dev.edx.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@link EdxTest} injects one environment per class and closes it after the class. */
class EdxExtensionTest {
  static final List<Environment> SEEN = new ArrayList<>();

  @EdxTest
  static class Sample {
    @BeforeAll
    static void before(Environment env) {
      SEEN.add(env);
      env.storage().createBucket("shared");
    }

    @Test
    void first(Environment env) {
      SEEN.add(env);
      env.storage().put(ObjectRef.of("shared", "first"), new byte[] {1});
    }

    @Test
    void second(Environment env) {
      SEEN.add(env);
      assertThat(env.storage().bucketExists("shared")).isTrue();
    }
  }

  @Test
  void oneEnvironmentPerClassClosedAfterIt() {
    SEEN.clear();
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute()
        .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

    assertThat(SEEN).hasSize(3);
    assertThat(SEEN).allSatisfy(env -> assertThat(env).isSameAs(SEEN.get(0)));
    assertThatThrownBy(() -> SEEN.get(0).storage())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("it is closed");
  }

  @Test
  void eachClassGetsItsOwnEnvironment() {
    SEEN.clear();
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute();
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute()
        .testEvents().assertStatistics(stats -> stats.succeeded(2));
    assertThat(SEEN).hasSize(6);
    assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(3));
  }
}
