package dev.edx.testkit;

import dev.edx.embedded.PostgresEndpoint;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against an embedded edx environment: declare a parameter of type {@link
 * dev.edx.api.Environment} on a test method, a lifecycle method or the constructor, and it is
 * injected. One environment per test class, with its data in a fresh temporary folder, closed and
 * deleted after the class; its metastore is a fresh database on the run's PostgreSQL server
 * (embedded, or the one {@code EDX_TEST_JDBC_URL} names), which a {@link PostgresEndpoint}
 * parameter also receives. A {@link KafkaBroker} parameter receives the run's Kafka broker, in the
 * test JVM (started on first use; Kafka's broker must be on the test class path).
 *
 * <pre>{@code
 * @EdxTest
 * class MyPipelineTest {
 *   @Test
 *   void writes(Environment env) { env.storage().createBucket("raw"); ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EdxExtension.class)
public @interface EdxTest {}
