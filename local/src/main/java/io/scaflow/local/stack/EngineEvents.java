package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The Node runner's messages applied to an execution: aws-local-stepfunctions' event log entries become AWS history
 * events, its "done" message the execution's end. Callers hold the execution's monitor.
 */
final class EngineEvents {

    private final ObjectMapper mapper;
    private final String roleArn;

    EngineEvents(ObjectMapper mapper, String roleArn) {
        this.mapper = mapper;
        this.roleArn = roleArn;
    }

    /** Applies one runner message ({@code event}, {@code done} or {@code error}) to a running execution. */
    void apply(LocalExecution execution, JsonNode message) {
        switch (message.path("type").asText()) {
            case "event" -> addEngineEvent(execution, message.path("event"));
            case "done" -> finish(execution, message);
            case "error" -> {
                Instant now = Instant.now();
                String cause = message.path("message").asText("runner error");
                execution.addFailedEvent(now, "States.Runtime", cause);
                execution.finish("FAILED", now, null, "States.Runtime", cause);
            }
            default -> {
                // unknown message: ignore
            }
        }
    }

    /** Maps an aws-local-stepfunctions event log entry to AWS history events. */
    private void addEngineEvent(LocalExecution execution, JsonNode event) {
        Instant at = event.hasNonNull("timestamp") ? Instant.ofEpochMilli(event.get("timestamp").asLong()) : Instant.now();
        JsonNode state = event.path("state");
        String stateName = state.path("name").asText();
        String stateType = state.path("type").asText();
        switch (event.path("type").asText()) {
            case "ExecutionStarted" -> {
                ObjectNode details = mapper.createObjectNode().put("input", json(event.get("input")))
                        .put("roleArn", roleArn);
                details.putObject("inputDetails").put("truncated", false);
                execution.addEvent("ExecutionStarted", at, "executionStartedEventDetails", details);
            }
            case "StateEntered" -> {
                ObjectNode details = mapper.createObjectNode().put("name", stateName)
                        .put("input", json(state.get("input")));
                details.putObject("inputDetails").put("truncated", false);
                execution.addEvent(stateType + "StateEntered", at, "stateEnteredEventDetails", details);
            }
            case "StateExited" -> {
                ObjectNode details = mapper.createObjectNode().put("name", stateName)
                        .put("output", json(state.get("output")));
                details.putObject("outputDetails").put("truncated", false);
                execution.addEvent(stateType + "StateExited", at, "stateExitedEventDetails", details);
            }
            case "StateFailed" -> {
                if (stateType.equals("Task") && event.hasNonNull("resourceType")) {
                    ObjectNode details = integration(event).put("error", event.path("Error").asText())
                            .put("cause", event.path("Cause").asText(""));
                    execution.addEvent("TaskFailed", at, "taskFailedEventDetails", details);
                } else if (stateType.equals("Task")) {
                    ObjectNode details = mapper.createObjectNode().put("error", event.path("Error").asText())
                            .put("cause", event.path("Cause").asText(""));
                    execution.addEvent("LambdaFunctionFailed", at, "lambdaFunctionFailedEventDetails", details);
                }
            }
            case "TaskSubmitted", "TaskSucceeded" -> {
                // the runner's own events for a states:startExecution Task (sfn-nested.mjs)
                ObjectNode details = integration(event).put("output", event.path("output").asText());
                details.putObject("outputDetails").put("truncated", false);
                String type = event.path("type").asText();
                execution.addEvent(type, at, type.equals("TaskSubmitted") ? "taskSubmittedEventDetails"
                        : "taskSucceededEventDetails", details);
            }
            case "ExecutionSucceeded" -> {
                ObjectNode details = mapper.createObjectNode().put("output", json(event.get("output")));
                details.putObject("outputDetails").put("truncated", false);
                execution.addEvent("ExecutionSucceeded", at, "executionSucceededEventDetails", details);
            }
            case "ExecutionFailed" -> execution.addFailedEvent(at, event.path("Error").asText(),
                    event.path("Cause").asText(""));
            case "ExecutionAborted" -> execution.addEvent("ExecutionAborted", at, "executionAbortedEventDetails",
                    mapper.createObjectNode());
            case "ExecutionTimeout" -> execution.addEvent("ExecutionTimedOut", at, "executionTimedOutEventDetails",
                    mapper.createObjectNode().put("error", "States.Timeout"));
            default -> {
                // StateRetried, StateCaught, Map/Parallel events: AWS has no event of that shape
            }
        }
    }

    /** {@code resourceType} and {@code resource} of a service integration's Task event ("states", "startExecution.sync:2"). */
    private ObjectNode integration(JsonNode event) {
        return mapper.createObjectNode().put("resourceType", event.path("resourceType").asText())
                .put("resource", event.path("resource").asText());
    }

    private void finish(LocalExecution execution, JsonNode done) {
        Instant now = Instant.now();
        String status = done.path("status").asText("FAILED");
        String output = done.has("output") ? json(done.get("output")) : null;
        String error = done.hasNonNull("error") ? done.get("error").asText() : null;
        String cause = done.hasNonNull("cause") ? done.get("cause").asText() : null;
        switch (status) {
            case "SUCCEEDED" -> execution.finish("SUCCEEDED", now, output, null, null);
            case "ABORTED" -> execution.finish("ABORTED", now, null, null, null);
            case "TIMED_OUT" -> execution.finish("TIMED_OUT", now, null, error, cause);
            default -> {
                if (execution.events.stream().noneMatch(e -> e.path("type").asText().equals("ExecutionFailed"))) {
                    execution.addFailedEvent(now, error == null ? "States.Runtime" : error, cause == null ? "" : cause);
                }
                execution.finish("FAILED", now, null, error, cause);
            }
        }
    }

    String json(JsonNode value) {
        try {
            return mapper.writeValueAsString(value == null ? mapper.nullNode() : value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
