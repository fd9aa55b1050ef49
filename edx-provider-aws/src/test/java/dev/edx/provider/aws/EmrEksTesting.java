package dev.edx.provider.aws;

import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.MotoServer;
import java.net.URI;
import java.util.ServiceLoader;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emrcontainers.EmrContainersClient;
import software.amazon.awssdk.services.emrcontainers.model.ContainerProviderType;

/** The {@code emr-eks} provider, found as a spec finds it, and a plain client, on moto. */
final class EmrEksTesting {
  static final String REGION = "eu-west-1";
  static final String ROLE = "arn:aws:iam::123456789012:role/edx-job-runner";

  private EmrEksTesting() {}

  static ComputeProvider provider() {
    return ServiceLoader.load(ComputeProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("emr-eks"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no 'emr-eks' ComputeProvider on the class path"));
  }

  /** A spec for a virtual cluster on moto, its keys marked sensitive as edx-core would. */
  static ServiceSpec.Builder spec(URI endpoint, String virtualCluster) {
    return ServiceSpec.builder("compute", "emr-eks")
        .set(AwsProperties.ENDPOINT.key(), endpoint.toString())
        .set(AwsProperties.REGION.key(), REGION)
        .set(EmrEksProperties.VIRTUAL_CLUSTER_ID.key(), virtualCluster)
        .set(EmrEksProperties.EXECUTION_ROLE_ARN.key(), ROLE)
        .set(EmrEksProperties.POLL_INTERVAL.key(), "20ms")
        .set(AwsProperties.RETRY_BASE_DELAY.key(), "10ms")
        .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), MotoServer.ACCESS_KEY)
        .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), MotoServer.SECRET_KEY);
  }

  /** A plain SDK client of moto's EMR containers, for setting up and reading back. */
  static EmrContainersClient client(URI endpoint) {
    return EmrContainersClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Creates a virtual cluster on a fresh EKS namespace; returns its id. */
  static String createVirtualCluster(EmrContainersClient client) {
    String namespace = "edx-" + UUID.randomUUID().toString().substring(0, 8);
    return client.createVirtualCluster(b -> b.name(namespace)
        .clientToken(UUID.randomUUID().toString())
        .containerProvider(p -> p.id("gha-eks").type(ContainerProviderType.EKS)
            .info(i -> i.eksInfo(e -> e.namespace(namespace))))).id();
  }
}
