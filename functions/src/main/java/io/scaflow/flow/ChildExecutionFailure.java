package io.scaflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.IOException;

/**
 * A failed follow-up execution as the parent's Catch sees it: Step Functions' {@code .sync} integrations fail the
 * Task with {@code States.TaskFailed} and, as {@code Cause}, the child's DescribeExecution answer as JSON
 * ({@code ExecutionArn}, {@code Status}, {@code Error}, {@code Cause}, ...). The flow records the child's own
 * failure instead: its {@code Error} and {@code Cause} when it FAILED, {@code States.Timeout} when it TIMED_OUT,
 * {@code Scaflow.ExecutionAborted} when it was stopped.
 */
final class ChildExecutionFailure {

    static final String TASK_FAILED = "States.TaskFailed";

    private ChildExecutionFailure() {
    }

    /** {@code error} ({@code {"Error", "Cause"}}) with a child execution's failure unwrapped; else as given. */
    static JsonNode unwrap(JsonNode error) {
        if (!TASK_FAILED.equals(error.path("Error").asText())) {
            return error;
        }
        JsonNode child;
        try {
            child = Json.MAPPER.readTree(error.path("Cause").asText(""));
        } catch (IOException e) {
            return error;
        }
        if (child == null || !child.isObject() || !child.hasNonNull("ExecutionArn") || !child.hasNonNull("Status")) {
            return error;
        }
        ObjectNode unwrapped = Json.MAPPER.createObjectNode();
        switch (child.get("Status").asText()) {
            case "TIMED_OUT" -> unwrapped.put("Error", "States.Timeout").put("Cause", "the follow-up execution timed out");
            case "ABORTED" -> unwrapped.put("Error", "Scaflow.ExecutionAborted")
                    .put("Cause", "the follow-up execution was stopped");
            default -> unwrapped.put("Error", child.path("Error").asText(TASK_FAILED))
                    .put("Cause", child.path("Cause").asText(""));
        }
        return unwrapped;
    }
}
