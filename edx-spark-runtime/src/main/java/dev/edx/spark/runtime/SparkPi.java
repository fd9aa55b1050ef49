package dev.edx.spark.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The Monte Carlo estimate of pi of Spark's {@code SparkPi} example, as a Spark application:
 * {@code n} random points in the square [-1, 1]², spread over {@code slices} partitions, and pi is
 * four times the share that falls in the unit circle. It prints {@code Pi is roughly 3.14…} as the
 * example does.
 *
 * <p>Spark's examples jar ({@code spark-examples_2.13}) is not published to Maven Central, so
 * {@code edx doctor} runs this one. It is compiled without Spark (it calls the {@code
 * SparkSession} API by reflection, so edx's build needs no Spark) and runs on Spark's class path
 * in the driver; the sampling is Spark SQL's {@code rand()} over {@code range(0, n, 1, slices)}.
 */
public final class SparkPi {
  /** The line the estimate is printed on: {@code Pi is roughly 3.14…}. */
  public static final String ESTIMATE_PREFIX = "Pi is roughly ";
  /** Points per slice, as in Spark's example. */
  static final long POINTS_PER_SLICE = 100_000L;

  private SparkPi() {}

  /**
   * Runs the estimate.
   *
   * @param args optionally the number of slices (partitions), default 2
   */
  public static void main(String[] args) throws Exception {
    int slices = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    if (slices < 1) {
      throw new IllegalArgumentException("slices must be at least 1: " + slices);
    }
    long n = Math.min(POINTS_PER_SLICE * slices, Integer.MAX_VALUE);
    Class<?> sessions = Class.forName("org.apache.spark.sql.SparkSession", true,
        SparkPi.class.getClassLoader());
    Object builder = sessions.getMethod("builder").invoke(null);
    builder = call(builder, "appName", "Spark Pi");
    Object spark = call(builder, "getOrCreate");
    try {
      Object frame = call(spark, "sql", query(n, slices));
      Object row = call(frame, "first");
      Number pi = (Number) row.getClass().getMethod("get", int.class).invoke(row, 0);
      System.out.println(ESTIMATE_PREFIX + pi.doubleValue());
    } finally {
      call(spark, "stop");
    }
  }

  /** The estimate as Spark SQL: four times the share of the points inside the unit circle. */
  static String query(long n, int slices) {
    return "SELECT 4.0 * count_if(x * x + y * y <= 1) / count(*) AS pi FROM (SELECT"
        + " rand() * 2 - 1 AS x, rand() * 2 - 1 AS y FROM range(0, " + n + ", 1, " + slices
        + "))";
  }

  private static Object call(Object target, String method, Object... args) throws Exception {
    Class<?>[] types = new Class<?>[args.length];
    for (int i = 0; i < args.length; i++) {
      types[i] = args[i].getClass();
    }
    Method m = target.getClass().getMethod(method, types);
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * Writes a jar holding only this class, the application resource of a {@code SparkJob} with
   * main class {@code dev.edx.spark.runtime.SparkPi}.
   *
   * @return {@code jar}
   */
  public static Path writeApplicationJar(Path jar) throws IOException {
    requireNonNull(jar, "jar is null");
    String entry = SparkPi.class.getName().replace('.', '/') + ".class";
    byte[] bytes;
    try (InputStream in = SparkPi.class.getClassLoader().getResourceAsStream(entry)) {
      if (in == null) {
        throw new IOException("Cannot read " + entry + " from the class path");
      }
      bytes = in.readAllBytes();
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SparkPi.class.getName());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
      jarOut.putNextEntry(new JarEntry(entry));
      jarOut.write(bytes);
      jarOut.closeEntry();
    }
    return jar;
  }
}
