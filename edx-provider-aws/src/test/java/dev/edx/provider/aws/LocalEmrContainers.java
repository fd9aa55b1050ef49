package dev.edx.provider.aws;

import static dev.edx.provider.aws.LocalJsonEndpoint.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edx.provider.aws.LocalJsonEndpoint.AwsError;
import dev.edx.provider.aws.LocalJsonEndpoint.Request;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EMR on EKS (emr-containers) calls edx makes, answered in the service's REST-JSON protocol
 * from memory, for {@link LocalJsonEndpoint}: StartJobRun ({@code POST
 * /virtualclusters/{id}/jobruns}), DescribeJobRun ({@code GET .../jobruns/{jobRunId}}) and
 * CancelJobRun ({@code DELETE .../jobruns/{jobRunId}}); a missing job run or virtual cluster is
 * {@code ResourceNotFoundException}. The test moves job runs through their states. A test double,
 * not an emulator.
 */
final class LocalEmrContainers implements LocalJsonEndpoint.Handler {
  private static final Pattern RUNS = Pattern.compile("/virtualclusters/([^/]+)/jobruns");
  private static final Pattern RUN = Pattern.compile("/virtualclusters/([^/]+)/jobruns/([^/]+)");

  private final String virtualCluster;
  private final Map<String, ObjectNode> runs = new LinkedHashMap<>();
  private final Map<String, String> byToken = new LinkedHashMap<>();
  private int next = 1;

  private final boolean autoRun;

  LocalEmrContainers(String virtualCluster) {
    this(virtualCluster, false);
  }

  /**
   * @param autoRun whether each DescribeJobRun moves a job run one state on (PENDING, SUBMITTED,
   *     RUNNING, COMPLETED; CANCEL_PENDING to CANCELLED), as if EMR ran it
   */
  LocalEmrContainers(String virtualCluster, boolean autoRun) {
    this.virtualCluster = virtualCluster;
    this.autoRun = autoRun;
  }

  @Override
  public String operation(String method, String path) {
    if (method.equals("POST") && RUNS.matcher(path).matches()) {
      return "StartJobRun";
    }
    if (RUN.matcher(path).matches()) {
      return method.equals("GET") ? "DescribeJobRun" : method.equals("DELETE") ? "CancelJobRun"
          : method + " " + path;
    }
    return method + " " + path;
  }

  /** Sets a job run's state (and failure), as EMR would as it runs. */
  synchronized void set(String id, String state, String failureReason, String details) {
    ObjectNode run = runs.get(id);
    run.put("state", state);
    if (failureReason != null) {
      run.put("failureReason", failureReason);
    }
    if (details != null) {
      run.put("stateDetails", details);
    }
  }

  @Override
  public synchronized JsonNode handle(Request request) {
    Matcher one = RUN.matcher(request.path());
    Matcher all = RUNS.matcher(request.path());
    String cluster = one.matches() ? one.group(1) : all.matches() ? all.group(1) : null;
    if (!virtualCluster.equals(cluster)) {
      throw new AwsError("ResourceNotFoundException", "Virtual cluster " + cluster
          + " doesn't exist.");
    }
    switch (request.operation()) {
      case "StartJobRun" -> {
        String token = request.body().path("clientToken").asText();
        String id = byToken.get(token);
        if (id == null) {
          id = String.format("%019d", next++);
          ObjectNode run = ((ObjectNode) request.body()).deepCopy();
          run.put("id", id).put("state", "PENDING").put("virtualClusterId", cluster)
              .put("arn", "arn:aws:emr-containers:eu-west-1:123456789012:/virtualclusters/"
                  + cluster + "/jobruns/" + id);
          runs.put(id, run);
          byToken.put(token, id);
        }
        return JSON.createObjectNode().put("id", id).put("name", runs.get(id).path("name")
            .asText()).put("virtualClusterId", cluster).put("arn", runs.get(id).get("arn")
            .asText());
      }
      case "DescribeJobRun" -> {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode run = run(one.group(2));
        out.set("jobRun", run.deepCopy());
        if (autoRun) {
          run.put("state", switch (run.path("state").asText()) {
            case "PENDING" -> "SUBMITTED";
            case "SUBMITTED" -> "RUNNING";
            case "RUNNING" -> "COMPLETED";
            case "CANCEL_PENDING" -> "CANCELLED";
            default -> run.path("state").asText();
          });
        }
        return out;
      }
      case "CancelJobRun" -> {
        ObjectNode run = run(one.group(2));
        run.put("state", "CANCEL_PENDING");
        return JSON.createObjectNode().put("id", one.group(2)).put("virtualClusterId", cluster);
      }
      default -> throw new AwsError("UnknownOperationException", "not in this test double: "
          + request.operation());
    }
  }

  private ObjectNode run(String id) {
    ObjectNode run = runs.get(id);
    if (run == null) {
      throw new AwsError("ResourceNotFoundException", "Job run " + id + " doesn't exist.");
    }
    return run;
  }
}
