package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edx.api.ObjectRef;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(|b|kib|mib|gib|kb|mb|gb|k|m|g)", Pattern.CASE_INSENSITIVE);
  private static final ObjectMapper JSON = new ObjectMapper();

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

  static MinioSettings parse(ServiceSpec spec, ProviderContext context) {
    Specs.requireOnlyKeys(spec, MinioProperties.KEYS);
    URI endpoint = endpoint(spec);
    Optional<String> accessKey = Specs.getString(spec, MinioProperties.ACCESS_KEY);
    Optional<String> secretKey = Specs.getString(spec, MinioProperties.SECRET_KEY);
    if (accessKey.isPresent() != secretKey.isPresent()) {
      String missing = accessKey.isPresent() ? MinioProperties.SECRET_KEY
          : MinioProperties.ACCESS_KEY;
      throw spec.error(missing, "is required when "
          + (accessKey.isPresent() ? MinioProperties.ACCESS_KEY : MinioProperties.SECRET_KEY)
          + " is set; give both keys, or neither for anonymous access");
    }
    String region = Specs.getString(spec, MinioProperties.REGION, MinioProperties.REGION_DEFAULT);
    long partSize = partSize(spec);
    List<BucketSpec> buckets = buckets(spec);
    Tls tls = tls(spec, context, endpoint);
    return new MinioSettings(endpoint, accessKey, secretKey, region, buckets, partSize, tls);
  }

  private static URI endpoint(ServiceSpec spec) {
    String text = Specs.requireString(spec, MinioProperties.ENDPOINT).trim();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw spec.error(MinioProperties.ENDPOINT, "is not a URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw spec.error(MinioProperties.ENDPOINT, "must be an http:// or https:// URL with a host,"
          + " such as http://127.0.0.1:9000, not '" + text + "'");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
        || uri.getRawQuery() != null) {
      throw spec.error(MinioProperties.ENDPOINT, "must not have a path or query: '" + text + "'");
    }
    return URI.create(scheme + "://" + uri.getRawAuthority());
  }

  private static long partSize(ServiceSpec spec) {
    Optional<String> text = Specs.getString(spec, MinioProperties.PART_SIZE);
    if (text.isEmpty()) {
      return MinioProperties.PART_SIZE_DEFAULT;
    }
    Matcher m = SIZE.matcher(text.get().trim());
    if (!m.matches()) {
      throw spec.error(MinioProperties.PART_SIZE, "must be a size in bytes or with a unit, such as"
          + " 16MiB, not '" + text.get() + "'");
    }
    long n = Long.parseLong(m.group(1));
    long size = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "kib", "kb", "k" -> n * 1024;
      case "mib", "mb", "m" -> n * 1024 * 1024;
      case "gib", "gb", "g" -> n * 1024 * 1024 * 1024;
      default -> n;
    };
    if (size < MinioProperties.PART_SIZE_MIN || size > MinioProperties.PART_SIZE_MAX) {
      throw spec.error(MinioProperties.PART_SIZE, "must be between 5MiB and 5GiB (S3's limits),"
          + " not " + text.get());
    }
    return size;
  }

  private static List<BucketSpec> buckets(ServiceSpec spec) {
    Object raw = spec.get(MinioProperties.BUCKETS).orElse(List.of());
    List<?> items = raw instanceof List<?> list ? list : List.of(raw);
    List<BucketSpec> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String key = MinioProperties.BUCKETS + "[" + i + "]";
      Object item = items.get(i);
      BucketSpec bucket;
      if (item instanceof String name) {
        bucket = BucketSpec.named(bucketName(spec, key, name));
      } else if (item instanceof Map<?, ?> map) {
        bucket = bucket(spec, key, map);
      } else {
        throw spec.error(key, "must be a bucket name or a map with 'name' and its settings");
      }
      if (!seen.add(bucket.name())) {
        throw spec.error(key, "bucket '" + bucket.name() + "' is listed twice");
      }
      result.add(bucket);
    }
    return result;
  }

  private static BucketSpec bucket(ServiceSpec spec, String key, Map<?, ?> map) {
    List<String> known = List.of(MinioProperties.BUCKET_NAME, MinioProperties.BUCKET_ADOPT,
        MinioProperties.BUCKET_VERSIONING, MinioProperties.BUCKET_POLICY,
        MinioProperties.BUCKET_LIFECYCLE);
    requireOnly(spec, key, map, known);
    Object name = map.get(MinioProperties.BUCKET_NAME);
    if (!(name instanceof String s)) {
      throw spec.error(key + "." + MinioProperties.BUCKET_NAME, "is required: the bucket's name");
    }
    String bucket = bucketName(spec, key + "." + MinioProperties.BUCKET_NAME, s);
    Object adopt = map.get(MinioProperties.BUCKET_ADOPT);
    if (adopt != null && !(adopt instanceof Boolean)) {
      throw spec.error(key + "." + MinioProperties.BUCKET_ADOPT, "must be true or false");
    }
    Optional<Boolean> versioning = Optional.empty();
    Object v = map.get(MinioProperties.BUCKET_VERSIONING);
    if (v != null) {
      if (v instanceof Boolean b) {
        versioning = Optional.of(b);
      } else if (v instanceof String t && (t.equalsIgnoreCase("true")
          || t.equalsIgnoreCase("false"))) {
        versioning = Optional.of(Boolean.parseBoolean(t));
      } else {
        throw spec.error(key + "." + MinioProperties.BUCKET_VERSIONING,
            "must be true (enable) or false (suspend)");
      }
    }
    Optional<String> policy = Optional.empty();
    Object p = map.get(MinioProperties.BUCKET_POLICY);
    if (p != null) {
      String policyKey = key + "." + MinioProperties.BUCKET_POLICY;
      if (!(p instanceof String text)) {
        throw spec.error(policyKey, "must be a JSON policy document, as a string");
      }
      JsonNode node = parseJson(text).filter(JsonNode::isObject).orElseThrow(() ->
          spec.error(policyKey, "must be a JSON policy document ({\"Version\": ...,"
              + " \"Statement\": [...]}); it is not a JSON object"));
      policy = Optional.of(node.toString());
    }
    Optional<BucketSpec.Lifecycle> lifecycle = Optional.empty();
    Object l = map.get(MinioProperties.BUCKET_LIFECYCLE);
    if (l != null) {
      String lifecycleKey = key + "." + MinioProperties.BUCKET_LIFECYCLE;
      if (!(l instanceof Map<?, ?> rule)) {
        throw spec.error(lifecycleKey, "must be a map: {expireDays: N, prefix: ...}");
      }
      requireOnly(spec, lifecycleKey, rule, List.of(MinioProperties.LIFECYCLE_EXPIRE_DAYS,
          MinioProperties.LIFECYCLE_PREFIX));
      Object days = rule.get(MinioProperties.LIFECYCLE_EXPIRE_DAYS);
      String daysKey = lifecycleKey + "." + MinioProperties.LIFECYCLE_EXPIRE_DAYS;
      int expireDays;
      try {
        expireDays = days instanceof Number n ? Math.toIntExact(n.longValue())
            : Integer.parseInt(String.valueOf(days).trim());
      } catch (NumberFormatException | ArithmeticException e) {
        throw spec.error(daysKey, "is required: a whole number of days of at least 1", e);
      }
      if (expireDays < 1) {
        throw spec.error(daysKey, "must be at least 1, not " + expireDays);
      }
      Object prefix = rule.get(MinioProperties.LIFECYCLE_PREFIX);
      if (prefix != null && !(prefix instanceof String)) {
        throw spec.error(lifecycleKey + "." + MinioProperties.LIFECYCLE_PREFIX,
            "must be a string, the key prefix the rule applies to");
      }
      lifecycle = Optional.of(new BucketSpec.Lifecycle(expireDays,
          prefix == null ? MinioProperties.LIFECYCLE_PREFIX_DEFAULT : (String) prefix));
    }
    return new BucketSpec(bucket, Boolean.TRUE.equals(adopt), versioning, policy, lifecycle);
  }

  private static void requireOnly(ServiceSpec spec, String key, Map<?, ?> map,
      Collection<String> known) {
    for (Object k : map.keySet()) {
      if (!known.contains(String.valueOf(k))) {
        throw spec.error(key + "." + k, "is not a bucket setting; known settings: " + known);
      }
    }
  }

  private static String bucketName(ServiceSpec spec, String key, String name) {
    try {
      ObjectRef.of(name, "-"); // the API's bucket naming rule
    } catch (IllegalArgumentException e) {
      throw spec.error(key, e.getMessage(), e);
    }
    return name;
  }

  static Optional<JsonNode> parseJson(String text) {
    try {
      return Optional.ofNullable(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  // -------------------------------------------------------------------------------------- TLS

  private static Tls tls(ServiceSpec spec, ProviderContext context, URI endpoint) {
    boolean insecure = Specs.getBoolean(spec, MinioProperties.INSECURE_SKIP_TLS_VERIFY,
        MinioProperties.INSECURE_SKIP_TLS_VERIFY_DEFAULT);
    Optional<String> caFile = Specs.getString(spec, MinioProperties.CA_FILE);
    Optional<String> trustStore = Specs.getString(spec, MinioProperties.TRUST_STORE);
    Optional<String> password = Specs.getString(spec, MinioProperties.TRUST_STORE_PASSWORD);
    if (caFile.isPresent() && trustStore.isPresent()) {
      throw spec.error(MinioProperties.TRUST_STORE, "cannot be combined with "
          + MinioProperties.CA_FILE + ": give the CA certificates one way");
    }
    if (insecure && (caFile.isPresent() || trustStore.isPresent())) {
      throw spec.error(MinioProperties.INSECURE_SKIP_TLS_VERIFY, "turns certificate checks off,"
          + " so " + (caFile.isPresent() ? MinioProperties.CA_FILE : MinioProperties.TRUST_STORE)
          + " would be ignored; remove one of them");
    }
    if (password.isPresent() && trustStore.isEmpty()) {
      throw spec.error(MinioProperties.TRUST_STORE_PASSWORD, "is set but "
          + MinioProperties.TRUST_STORE + " is not");
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
          throw spec.error(MinioProperties.CA_FILE, "'" + file + "' holds no PEM certificate");
        }
        int i = 0;
        for (Certificate certificate : certificates) {
          store.setCertificateEntry("ca-" + i++, certificate);
        }
      } catch (IOException e) {
        throw spec.error(MinioProperties.CA_FILE, "cannot read the CA certificate file '" + file
            + "': " + e, e);
      } catch (GeneralSecurityException e) {
        throw spec.error(MinioProperties.CA_FILE, "'" + file + "' is not a PEM file of X.509"
            + " certificates: " + e.getMessage(), e);
      }
      return new Tls(Optional.of(trustManager(store)), false, "the CAs of " + file);
    }
    if (trustStore.isPresent()) {
      Path file = resolve(context, trustStore.get());
      if (!Files.isReadable(file)) {
        throw spec.error(MinioProperties.TRUST_STORE, "cannot read the trust store '" + file
            + "': no such readable file");
      }
      KeyStore store;
      try {
        store = KeyStore.getInstance(file.toFile(),
            password.map(String::toCharArray).orElse(null));
      } catch (IOException | GeneralSecurityException e) {
        // The message of a wrong password never contains the password.
        throw spec.error(MinioProperties.TRUST_STORE, "cannot load the trust store '" + file
            + "' (PKCS12 or JKS): " + e.getMessage() + "; check the file and "
            + MinioProperties.TRUST_STORE_PASSWORD, e);
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
