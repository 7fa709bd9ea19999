package io.scaflow.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import org.junit.jupiter.api.Test;

/** A failed follow-up execution, as a .sync Task reports it, is recorded as the child's own failure. */
class ChildExecutionFailureTest {

    private static final String ARN = "arn:aws:states:eu-west-3:123456789012:express:Follow:x:1";

    @Test
    void aFailedChildGivesItsErrorAndCause() {
        JsonNode unwrapped = ChildExecutionFailure.unwrap(taskFailed(envelope("FAILED")
                .put("Error", "io.scaflow.shine.ShineUnavailableException").put("Cause", "{\"errorMessage\":\"503\"}")));

        assertThat(unwrapped.get("Error").asText()).isEqualTo("io.scaflow.shine.ShineUnavailableException");
        assertThat(unwrapped.get("Cause").asText()).isEqualTo("{\"errorMessage\":\"503\"}");
    }

    @Test
    void aTimedOutChildIsATimeoutAndAStoppedOneAnAbortedExecution() {
        assertThat(ChildExecutionFailure.unwrap(taskFailed(envelope("TIMED_OUT"))).get("Error").asText())
                .isEqualTo("States.Timeout");
        assertThat(ChildExecutionFailure.unwrap(taskFailed(envelope("ABORTED"))).get("Error").asText())
                .isEqualTo("Scaflow.ExecutionAborted");
    }

    @Test
    void anyOtherErrorIsLeftAsItIs() {
        ObjectNode lambda = Json.MAPPER.createObjectNode().put("Error", "Lambda.ServiceException").put("Cause", "x");
        assertThat(ChildExecutionFailure.unwrap(lambda)).isSameAs(lambda);
        ObjectNode plain = Json.MAPPER.createObjectNode().put("Error", "States.TaskFailed").put("Cause", "not JSON");
        assertThat(ChildExecutionFailure.unwrap(plain)).isSameAs(plain);
        ObjectNode other = Json.MAPPER.createObjectNode().put("Error", "States.TaskFailed").put("Cause", "{\"a\":1}");
        assertThat(ChildExecutionFailure.unwrap(other)).isSameAs(other);
    }

    private static ObjectNode envelope(String status) {
        return Json.MAPPER.createObjectNode().put("ExecutionArn", ARN).put("Status", status);
    }

    private static JsonNode taskFailed(ObjectNode envelope) {
        return Json.MAPPER.createObjectNode().put("Error", "States.TaskFailed").put("Cause", envelope.toString());
    }
}
