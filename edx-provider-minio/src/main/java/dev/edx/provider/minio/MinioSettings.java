package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The {@code minio} provider's spec, parsed once. Certificates are loaded here, so a bad
 * {@code caFile} or {@code trustStore} fails when the environment opens, naming the key.
 * {@link #toString()} shows no credential.
 */
record MinioSettings(URI endpoint, Optional<String> accessKey, Optional<String> secretKey,
    String region, List<BucketSpec> buckets, long partSize, Tls tls) {

  MinioSettings {
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(accessKey, "accessKey is null");
    requireNonNull(secretKey, "secretKey is null");
    requireNonNull(region, "region is null");
    buckets = List.copyOf(requireNonNull(buckets, "buckets is null"));
    requireNonNull(tls, "tls is null");
  }

  /** How the endpoint's certificate is checked. */
  record Tls(Optional<X509TrustManager> trustManager, boolean insecure, String description) {
    static final Tls DEFAULT = new Tls(Optional.empty(), false, "the JVM's trusted CAs");
  }

  /** Reads a spec edx has checked against {@link MinioProperties} ({@code Specs.checked}). */
  static MinioSettings parse(ServiceSpec spec, ProviderContext context) {
    URI endpoint = MinioProperties.ENDPOINT.get(spec);
    Optional<String> accessKey = MinioProperties.ACCESS_KEY.find(spec);
    Optional<String> secretKey = MinioProperties.SECRET_KEY.find(spec);
    if (accessKey.isPresent() != secretKey.isPresent()) {
      String access = MinioProperties.ACCESS_KEY.key();
      String secret = MinioProperties.SECRET_KEY.key();
      throw spec.error(accessKey.isPresent() ? secret : access, "is required when "
          + (accessKey.isPresent() ? access : secret)
          + " is set; give both keys, or neither for anonymous access");
    }
    return new MinioSettings(endpoint, accessKey, secretKey, MinioProperties.REGION.get(spec),
        MinioProperties.BUCKETS.get(spec), MinioProperties.PART_SIZE.get(spec),
        tls(spec, context));
  }

  // -------------------------------------------------------------------------------------- TLS

  private static Tls tls(ServiceSpec spec, ProviderContext context) {
    boolean insecure = MinioProperties.INSECURE_SKIP_TLS_VERIFY.get(spec);
    Optional<String> caFile = MinioProperties.CA_FILE.find(spec);
    Optional<String> trustStore = MinioProperties.TRUST_STORE.find(spec);
    Optional<String> password = MinioProperties.TRUST_STORE_PASSWORD.find(spec);
    String caKey = MinioProperties.CA_FILE.key();
    String storeKey = MinioProperties.TRUST_STORE.key();
    String passwordKey = MinioProperties.TRUST_STORE_PASSWORD.key();
    String insecureKey = MinioProperties.INSECURE_SKIP_TLS_VERIFY.key();
    if (caFile.isPresent() && trustStore.isPresent()) {
      throw spec.error(storeKey, "cannot be combined with "
          + caKey + ": give the CA certificates one way");
    }
    if (insecure && (caFile.isPresent() || trustStore.isPresent())) {
      throw spec.error(insecureKey, "turns certificate checks off,"
          + " so " + (caFile.isPresent() ? caKey : storeKey)
          + " would be ignored; remove one of them");
    }
    if (password.isPresent() && trustStore.isEmpty()) {
      throw spec.error(passwordKey, "is set but "
          + storeKey + " is not");
    }
    if (insecure) {
      return new Tls(Optional.empty(), true, "no certificate checks (insecureSkipTlsVerify)");
    }
    if (caFile.isPresent()) {
      Path file = resolve(context, caFile.get());
      KeyStore store = emptyStore();
      try (InputStream in = Files.newInputStream(file)) {
        Collection<? extends Certificate> certificates =
            CertificateFactory.getInstance("X.509").generateCertificates(in);
        if (certificates.isEmpty()) {
          throw spec.error(caKey, "'" + file + "' holds no PEM certificate");
        }
        int i = 0;
        for (Certificate certificate : certificates) {
          store.setCertificateEntry("ca-" + i++, certificate);
        }
      } catch (IOException e) {
        throw spec.error(caKey, "cannot read the CA certificate file '" + file
            + "': " + e, e);
      } catch (GeneralSecurityException e) {
        throw spec.error(caKey, "'" + file + "' is not a PEM file of X.509"
            + " certificates: " + e.getMessage(), e);
      }
      return new Tls(Optional.of(trustManager(store)), false, "the CAs of " + file);
    }
    if (trustStore.isPresent()) {
      Path file = resolve(context, trustStore.get());
      if (!Files.isReadable(file)) {
        throw spec.error(storeKey, "cannot read the trust store '" + file
            + "': no such readable file");
      }
      KeyStore store;
      try {
        store = KeyStore.getInstance(file.toFile(),
            password.map(String::toCharArray).orElse(null));
      } catch (IOException | GeneralSecurityException e) {
        // The message of a wrong password never contains the password.
        throw spec.error(storeKey, "cannot load the trust store '" + file
            + "' (PKCS12 or JKS): " + e.getMessage() + "; check the file and "
            + passwordKey, e);
      }
      return new Tls(Optional.of(trustManager(store)), false, "the trust store " + file);
    }
    return Tls.DEFAULT;
  }

  private static Path resolve(ProviderContext context, String path) {
    return context.baseDirectory().resolve(path).toAbsolutePath().normalize();
  }

  private static KeyStore emptyStore() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot create an empty key store", e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("No X509TrustManager in " + factory.getAlgorithm());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot create a trust manager", e);
    }
  }

  /** Shows no credential: only whether keys are set. */
  @Override
  public String toString() {
    return "MinioSettings{endpoint=" + endpoint + ", credentials="
        + (accessKey.isPresent() ? "****" : "anonymous") + ", region=" + region + ", buckets="
        + buckets.stream().map(BucketSpec::name).toList() + ", partSize=" + partSize + ", tls="
        + tls.description() + "}";
  }
}
