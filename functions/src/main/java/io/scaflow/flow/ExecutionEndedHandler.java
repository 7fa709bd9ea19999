package io.scaflow.flow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.log.Log;
import io.scaflow.log.LogContext;
import io.scaflow.store.FlowError;
import io.scaflow.store.FlowStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Receives Step Functions' "Execution Status Change" events (EventBridge) for executions that were stopped, timed
 * out or failed, and ends a flow the execution left unfinished: CANCELLED when stopped (e.g. from the console),
 * FAILED otherwise, OUTCOME_UNKNOWN when it was EXECUTING. Its secrets go with it. Flows that ended normally are
 * left as they are.
 */
public final class ExecutionEndedHandler implements RequestStreamHandler {

    private static final Log LOG = Log.of(ExecutionEndedHandler.class);

    private final FlowServices services;
    private final LogContext.ColdStart coldStart = new LogContext.ColdStart();

    public ExecutionEndedHandler() {
        this(StepPrimer.registered(StepPrimer.Step.EXECUTION_ENDED, FlowServices.fromEnvironment()));   // SnapStart: io.scaflow.prime
    }

    public ExecutionEndedHandler(FlowServices services) {
        this.services = services;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (LogContext.Scope scope = LogContext.begin(context, "ExecutionEndedHandler", coldStart.next())) {
            handleInContext(input, output);
        }
    }

    private void handleInContext(InputStream input, OutputStream output) throws IOException {
        JsonNode detail = Json.MAPPER.readTree(input).path("detail");
        String flowId = detail.path("name").asText("");
        String executionStatus = detail.path("status").asText("");
        if (!flowId.isEmpty()) {
            LogContext.flowId(flowId);
        }
        String outcome = "ignored";
        if (!flowId.isEmpty() && !executionStatus.equals("RUNNING") && !executionStatus.equals("SUCCEEDED")) {
            boolean stopped = executionStatus.equals("ABORTED");
            try {
                outcome = FlowEnding.end(services, flowId, stopped ? FlowStatus.CANCELLED : FlowStatus.FAILED,
                                FlowError.ofFailure("Scaflow.Execution" + capitalized(executionStatus), null))
                        .map(flow -> flow.status().name()).orElse("no flow");
            } catch (RuntimeException e) {
                throw StepFailedException.leaving(flowId, e);
            }
        }
        LOG.info("execution ended", "flowId", flowId, "executionStatus", executionStatus, "flow", outcome);
        Json.MAPPER.writeValue(output, Json.MAPPER.createObjectNode().put("flowId", flowId).put("flow", outcome));
    }

    private static String capitalized(String status) {
        String lower = status.toLowerCase().replace("_", " ");
        StringBuilder out = new StringBuilder();
        for (String word : lower.split(" ")) {
            out.append(word.isEmpty() ? "" : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return out.toString();
    }
}
