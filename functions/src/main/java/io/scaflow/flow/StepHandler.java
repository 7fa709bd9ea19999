package io.scaflow.flow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.input.InvalidInputException;
import io.scaflow.json.Json;
import io.scaflow.log.LogContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A step of the SCA state machine: reads its JSON input with the project's ObjectMapper, does one thing to one
 * flow, writes a {@link StepResult}. Exceptions propagate: the Lambda runtime reports their class name, which the
 * state machine's Retry and Catch match. A foreign exception (an SDK's, the JDK's) leaves as a
 * {@link StepFailedException} naming its class only: its message is not scaflow's to put in the execution history.
 */
public abstract class StepHandler implements RequestStreamHandler {

    /** Step Functions execution names: the flow id is always one. */

    protected final FlowServices services;
    private final LogContext.ColdStart coldStart = new LogContext.ColdStart();

    protected StepHandler(FlowServices services) {
        this.services = services;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (LogContext.Scope scope = LogContext.begin(context, getClass().getSimpleName(), coldStart.next())) {
            handleInContext(input, output, context);
        }
    }

    private void handleInContext(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(input);
        } catch (IOException e) {
            throw new InvalidInputException("event", "is not JSON");
        }
        if (event == null || !event.isObject()) {
            throw new InvalidInputException("event", "must be a JSON object");
        }
        String flowId = flowId(event);
        LogContext.flowId(flowId);
        StepResult result;
        try {
            result = handle(flowId, event, context);
        } catch (RuntimeException e) {
            throw StepFailedException.leaving(flowId, e);
        }
        Json.MAPPER.writeValue(output, result);
    }

    protected abstract StepResult handle(String flowId, JsonNode event);

    /**
     * As {@link #handle(String, JsonNode)}, with the invocation's context (its remaining time); {@code context} is
     * null when a test calls {@link #handleRequest} without one.
     */
    protected StepResult handle(String flowId, JsonNode event, Context context) {
        return handle(flowId, event);
    }

    private static String flowId(JsonNode event) {
        JsonNode id = event.get("flowId");
        if (id == null || !id.isTextual()) {
            throw new InvalidInputException("flowId", "is required");
        }
        if (!FlowIds.isFlowId(id.asText())) {
            throw new InvalidInputException("flowId", "must be 1 to 80 letters, digits, '-' or '_'");
        }
        return id.asText();
    }
}
