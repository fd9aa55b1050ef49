package dev.edx.provider.aws;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An SDK interceptor for tests of a provider against a real implementation of the service
 * (moto): it records the requests the provider makes (the SDK's request objects, one per
 * attempt) and can make the next attempts of an operation fail with a service error before they
 * are sent, for answers the implementation does not give on its own (throttling, access denied).
 * A failed attempt never reaches the server.
 */
final class SdkCalls implements ExecutionInterceptor {
  /** One attempt of an operation. */
  record Call(String operation, SdkRequest request) {}

  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Deque<AwsServiceException>> faults = new ConcurrentHashMap<>();

  @Override
  public void beforeTransmission(Context.BeforeTransmission context,
      ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    calls.add(new Call(operation, context.request()));
    Deque<AwsServiceException> queue = faults.get(operation);
    AwsServiceException fault = null;
    if (queue != null) {
      synchronized (queue) {
        fault = queue.poll();
      }
    }
    if (fault != null) {
      throw fault;
    }
  }

  /** The attempts of {@code operation} so far, with their requests as {@code type}. */
  <R extends SdkRequest> List<R> requests(String operation, Class<R> type) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.operation().equals(operation))
          .map(c -> type.cast(c.request())).toList();
    }
  }

  void clear() {
    calls.clear();
  }

  /** The next {@code times} attempts of {@code operation} fail as the service would answer. */
  void failNext(String operation, int times, String code, int status, String message) {
    Deque<AwsServiceException> queue = faults.computeIfAbsent(operation,
        o -> new ArrayDeque<>());
    synchronized (queue) {
      for (int i = 0; i < times; i++) {
        queue.add(AwsServiceException.builder().statusCode(status).message(message)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                .build()).build());
      }
    }
  }
}
