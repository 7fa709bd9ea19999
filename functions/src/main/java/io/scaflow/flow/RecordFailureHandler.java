package io.scaflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.log.Log;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowError;
import io.scaflow.store.FlowStatus;
import java.io.IOException;
import java.util.Optional;

/**
 * The state machine's Catch target: records why the flow stopped. A flow caught while EXECUTING becomes
 * OUTCOME_UNKNOWN (its request may have reached Shine); any other unfinished flow becomes FAILED; a finished flow
 * is left as it is.
 */
public final class RecordFailureHandler extends StepHandler {

    private static final Log LOG = Log.of(RecordFailureHandler.class);

    public RecordFailureHandler() {
        this(StepPrimer.registered(StepPrimer.Step.RECORD_FAILURE, FlowServices.fromEnvironment()));   // SnapStart: io.scaflow.prime
    }

    public RecordFailureHandler(FlowServices services) {
        super(services);
    }

    @Override
    protected StepResult handle(String flowId, JsonNode event) {
        FlowError error = error(event.path("error"));
        Optional<Flow> flow = FlowEnding.end(services, flowId, FlowStatus.FAILED, error);
        if (flow.isEmpty()) {
            LOG.error("flow failed before it was recorded", "flowId", flowId, "error", error.code());
            return new StepResult(flowId, FlowStatus.FAILED, 0, 0, 0, false, false);
        }
        return StepResult.of(flow.get(), 0, 0, services.settings());
    }

    /**
     * Step Functions gives {@code Cause} as the Lambda error's JSON in AWS and as plain text locally; a failed
     * follow-up execution's failure is unwrapped first ({@link ChildExecutionFailure}). The error is mapped by its
     * name only ({@link FlowError#ofFailure}): the cause is kept only for the failures whose messages scaflow words
     * itself, and scrubbed there like every other error text.
     */
    private static FlowError error(JsonNode given) {
        JsonNode error = ChildExecutionFailure.unwrap(given);
        String code = error.path("Error").asText("Scaflow.UnknownError");
        String cause = error.path("Cause").asText("");
        try {
            JsonNode parsed = Json.MAPPER.readTree(cause);
            if (parsed != null && parsed.hasNonNull("errorMessage")) {
                cause = parsed.get("errorMessage").asText();
            }
        } catch (IOException e) {
            // plain text cause
        }
        if (cause.startsWith(code + ": ")) {
            cause = cause.substring(code.length() + 2);
        }
        return FlowError.ofFailure(code, cause);
    }
}
