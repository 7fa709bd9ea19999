package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.flow.ExecutionEndedHandler;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.StatusChange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How an unfinished flow ends when its execution does not carry it to the end, against moto and the Shine sandbox:
 * RecordFailure (the state machine's Catch) fails it and leaves a finished one alone; an execution stopped, timed
 * out or failed from outside (the execution-ended event) cancels a waiting flow, makes one being sent
 * OUTCOME_UNKNOWN and leaves a finished one. No secret in any output or log line.
 */
class FlowEndingStepsTest {

    private static final String UID = "user-42";

    @RegisterExtension
    final StepsRun run = new StepsRun(UID);

    @Test
    void recordFailureFailsAnUnfinishedFlowAndLeavesAFinishedOne() {
        FlowSteps steps = run.start(Map.of());
        String flowId = steps.recordFlow("10");
        steps.create(flowId);

        JsonNode failed = steps.recordFailure(flowId, "io.scaflow.shine.ShineUnavailableException",
                "Shine answered 503");
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(steps.flow(flowId).error().code()).isEqualTo("shine-unavailable");
        assertThat(steps.flow(flowId).error().message())
                .isEqualTo("Shine could not be reached or kept failing; nothing was done");
        assertThat(steps.flow(flowId).history()).last().extracting(StatusChange::reason)
                .isEqualTo("stopped: Shine could not be reached or kept failing; nothing was done");
        assertThat(steps.flow(flowId).accessToken()).isEmpty();
        assertThat(steps.recordFailure(flowId, "States.ALL", "Shine answered 503").get("status").asText())
                .isEqualTo("FAILED");
        assertThat(steps.flow(flowId).history()).extracting(StatusChange::status).containsOnlyOnce(FlowStatus.FAILED);
    }

    @Test
    void anExecutionStoppedFromOutsideEndsItsUnfinishedFlow() throws Exception {
        FlowSteps steps = run.start(Map.of());
        String waiting = steps.recordFlow("10");
        steps.create(waiting);
        assertThat(executionEnded(steps, waiting, "ABORTED").get("flow").asText()).isEqualTo("CANCELLED");
        assertThat(steps.flow(waiting).accessToken()).isEmpty();
        assertThat(steps.flow(waiting).error().code()).isEqualTo("execution-stopped");

        String sending = run.confirmedFlow("10");
        steps.harness.services.store().change(sending, FlowStatus.CONFIRMED, FlowChange.to(
                FlowStatus.EXECUTING, "test: sending"));
        assertThat(executionEnded(steps, sending, "TIMED_OUT").get("flow").asText()).isEqualTo("OUTCOME_UNKNOWN");

        String done = run.confirmedFlow("10");
        steps.execute(done);
        assertThat(executionEnded(steps, done, "ABORTED").get("flow").asText()).isEqualTo("SUCCEEDED");
        assertThat(executionEnded(steps, "no-such-flow", "FAILED").get("flow").asText()).isEqualTo("no flow");
    }

    private static JsonNode executionEnded(FlowSteps steps, String flowId, String executionStatus) throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(Files.readString(
                RepoRoot.find().resolve("events/execution-ended.json")));
        ((ObjectNode) event.get("detail")).put("name", flowId).put("status", executionStatus);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ExecutionEndedHandler(steps.harness.services).handleRequest(
                new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }
}
