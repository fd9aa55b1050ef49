package dev.edx.gha.spark;

import com.codahale.metrics.MetricRegistry;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.metrics.sink.MetricsServlet;
import org.sparkproject.jetty.servlet.ServletContextHandler;

/**
 * Spark's metrics servlet without its servlet, for a Spark that shares its JVM with the
 * embedded S3 endpoint (tests only). That endpoint's Jetty needs the Servlet 6 API, in which
 * Spark's Jetty 11 misses {@code jakarta.servlet.SingleThreadModel}; Spark builds the metrics
 * servlet's handler even without its UI. With this sink ({@code
 * spark.metrics.conf.*.sink.servlet.class}) it builds none; nothing else changes.
 */
public final class ServletlessMetricsSink extends MetricsServlet {
  public ServletlessMetricsSink(Properties property, MetricRegistry registry) {
    super(property, registry);
  }

  @Override
  public ServletContextHandler[] getHandlers(SparkConf conf) {
    return new ServletContextHandler[0];
  }
}
