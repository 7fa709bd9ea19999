package io.scaflow.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StopExecutionResponse;

/**
 * Step Functions as the API uses it: it records the executions started and stopped, and runs nothing. Starts can
 * be made to fail, as when Step Functions cannot be reached.
 */
final class FakeStepFunctions implements SfnClient {

    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> stopped = new CopyOnWriteArrayList<>();
    private volatile RuntimeException startFailure;

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest request) {
        started.add(request.name());
        if (startFailure != null) {
            throw startFailure;
        }
        return StartExecutionResponse.builder().executionArn(request.stateMachineArn() + ":" + request.name()).build();
    }

    @Override
    public StopExecutionResponse stopExecution(StopExecutionRequest request) {
        stopped.add(request.executionArn());
        return StopExecutionResponse.builder().build();
    }

    /** Every start from now on fails with {@code failure} (null: starts succeed again). */
    void failStarts(RuntimeException failure) {
        startFailure = failure;
    }

    /** The names of the executions started (a name twice: the same execution asked for again). */
    List<String> started() {
        return List.copyOf(started);
    }

    /** The ARNs of the executions stopped. */
    List<String> stopped() {
        return List.copyOf(stopped);
    }

    @Override
    public String serviceName() {
        return "states";
    }

    @Override
    public void close() {
    }
}
