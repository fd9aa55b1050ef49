package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectStorage;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.toolkit.Setting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code minio} storage provider: MinIO or any S3-compatible store, through minio-java. The
 * storage it creates is also a {@link dev.edx.api.spi.Provisioner} of the declared buckets and
 * their settings, hands out presigned URLs ({@link dev.edx.api.SupportsPresignedUrls}) and reads
 * versions ({@link dev.edx.api.SupportsVersioning}). Settings: {@link MinioProperties}.
 *
 * <pre>{@code
 * storage:
 *   provider: minio
 *   endpoint: https://minio.example.com:9000
 *   accessKey: ${secret:minio/accessKey}
 *   secretKey: ${secret:minio/secretKey}
 *   caFile: certs/ca.pem
 *   buckets:
 *     - gha-raw
 *     - {name: gha-lake, versioning: true, lifecycle: {expireDays: 30, prefix: tmp/}}
 *     - {name: shared-landing, adopt: true}
 * }</pre>
 *
 * <p>Buckets edx creates are marked as owned by the environment as {@link
 * dev.edx.toolkit.s3.BucketOwnership} says: with tags, or, where the store has no bucket tagging
 * (s3proxy), with an object {@value dev.edx.toolkit.s3.BucketOwnership#MARKER_KEY} holding its
 * name.
 */
public final class MinioStorageProvider implements StorageProvider {
  private static final Logger LOG = LoggerFactory.getLogger(MinioStorageProvider.class);

  private static final int MAX_REQUESTS = 64;

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public MinioStorageProvider() {}

  @Override
  public String name() {
    return "minio";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(MinioProperties.class);
  }

  @Override
  public ObjectStorage create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    MinioSettings settings = MinioSettings.parse(spec, context);
    if (settings.tls().insecure()) {
      LOG.warn("TLS certificate and host name checks are OFF for {} (insecureSkipTlsVerify:"
          + " true): anyone on the network path can read and change the data and the"
          + " credentials. Trust the endpoint's CA with caFile or trustStore instead.",
          settings.endpoint());
    }
    LOG.info("MinIO storage on {} (region {}, part size {} MiB, TLS trusting {}),"
        + " declared buckets {}", settings.endpoint(), settings.region(),
        settings.partSize() / (1024 * 1024), settings.tls().description(),
        settings.buckets().stream().map(BucketSpec::name).toList());
    return new MinioObjectStorage(settings, httpClient(settings), context.environmentName());
  }

  /** The HTTP client, built here so that the storage can shut its threads down on close. */
  static OkHttpClient httpClient(MinioSettings settings) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(MAX_REQUESTS);
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
    OkHttpClient.Builder builder = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectTimeout(30, TimeUnit.SECONDS)
        .readTimeout(5, TimeUnit.MINUTES)
        .writeTimeout(5, TimeUnit.MINUTES)
        .retryOnConnectionFailure(true);
    MinioSettings.Tls tls = settings.tls();
    if (tls.insecure()) {
      X509TrustManager trustAll = new TrustAll();
      builder.sslSocketFactory(sslContext(trustAll).getSocketFactory(), trustAll)
          .hostnameVerifier((host, session) -> true);
    } else if (tls.trustManager().isPresent()) {
      X509TrustManager trust = tls.trustManager().get();
      builder.sslSocketFactory(sslContext(trust).getSocketFactory(), trust);
    } else if ("http".equalsIgnoreCase(settings.endpoint().getScheme())) {
      // Plain http never needs TLS: without this okhttp loads and parses the JVM's trusted CAs
      // at every open (about a sixth of a cold open on the calling thread, in a profile).
      builder.sslSocketFactory(new NoTls(), new TrustNone());
    }
    return builder.build();
  }

  /** For a plain {@code http} endpoint: refuses to open a TLS connection (none is ever made). */
  private static final class NoTls extends SSLSocketFactory {
    private static IOException refused() {
      return new IOException("Cannot open a TLS connection: this storage's endpoint is plain"
          + " http");
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return new String[0];
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return new String[0];
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
        throws IOException {
      throw refused();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      throw refused();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      throw refused();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      throw refused();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
        int localPort) throws IOException {
      throw refused();
    }
  }

  /** Trusts no certificate: the pair of {@link NoTls}. */
  private static final class TrustNone implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("No TLS on a plain http endpoint");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("No TLS on a plain http endpoint");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  private static SSLContext sslContext(X509TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot create a TLS context", e);
    }
  }

  /** Accepts every certificate: only behind {@code insecureSkipTlsVerify: true}. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
