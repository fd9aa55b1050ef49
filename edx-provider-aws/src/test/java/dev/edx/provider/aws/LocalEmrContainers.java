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
 * A test double of EMR on EKS (emr-containers) for <b>only what moto does not model: the states
 * of a job run</b>. moto's job runs stay RUNNING until cancelled, and its CancelJobRun ends them
 * at once; here a job run starts PENDING, the test (or, with auto-run, each DescribeJobRun) moves
 * it through SUBMITTED, RUNNING, COMPLETED or FAILED with a reason, and CancelJobRun makes it
 * CANCEL_PENDING first. Everything else about the calls (the request as the service reads it,
 * unknown job runs and virtual clusters, refused cancels, logs) is proven against moto in {@link
 * EmrEksComputeTest}. Answers in the service's REST-JSON protocol, for {@link LocalJsonEndpoint}.
 */
final class LocalEmrContainers implements LocalJsonEndpoint.Handler {
  private static final Pattern RUNS = Pattern.compile("/virtualclusters/([^/]+)/jobruns");
  private static final Pattern RUN = Pattern.compile("/virtualclusters/([^/]+)/jobruns/([^/]+)");

  private final Map<String, ObjectNode> runs = new LinkedHashMap<>();
  private final boolean autoRun;
  private int next = 1;

  /**
   * @param autoRun whether each DescribeJobRun moves a job run one state on (PENDING, SUBMITTED,
   *     RUNNING, COMPLETED; CANCEL_PENDING to CANCELLED), as if EMR ran it
   */
  LocalEmrContainers(boolean autoRun) {
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
    ObjectNode run = run(id);
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
    switch (request.operation()) {
      case "StartJobRun" -> {
        all.matches();
        String id = String.format("%019d", next++);
        ObjectNode run = JSON.createObjectNode().put("id", id)
            .put("name", request.body().path("name").asText()).put("state", "PENDING")
            .put("virtualClusterId", all.group(1));
        runs.put(id, run);
        return run.deepCopy();
      }
      case "DescribeJobRun" -> {
        one.matches();
        ObjectNode run = run(one.group(2));
        ObjectNode out = JSON.createObjectNode();
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
        one.matches();
        run(one.group(2)).put("state", "CANCEL_PENDING");
        return JSON.createObjectNode().put("id", one.group(2))
            .put("virtualClusterId", one.group(1));
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
