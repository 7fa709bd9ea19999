package io.scaflow.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StopExecutionResponse;

/** Step Functions as the API uses it: it records the executions started and stopped, and runs nothing. */
final class FakeStepFunctions implements SfnClient {

    private final List<String> started = new CopyOnWriteArrayList<>();

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest request) {
        started.add(request.name());
        return StartExecutionResponse.builder().executionArn(request.stateMachineArn() + ":" + request.name()).build();
    }

    @Override
    public StopExecutionResponse stopExecution(StopExecutionRequest request) {
        return StopExecutionResponse.builder().build();
    }

    List<String> started() {
        return List.copyOf(started);
    }

    @Override
    public String serviceName() {
        return "states";
    }

    @Override
    public void close() {
    }
}
