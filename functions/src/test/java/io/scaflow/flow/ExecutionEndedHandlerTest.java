package io.scaflow.flow;

import static io.scaflow.flow.FlowKit.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.store.ErrorCode;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.testing.LambdaEvents;
import io.scaflow.testing.Repository;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The clean-up after an execution ended outside the state machine's own steps (stopped, timed out, failed):
 * the flow it left unfinished ends, CANCELLED when stopped, FAILED otherwise, OUTCOME_UNKNOWN when EXECUTING.
 */
class ExecutionEndedHandlerTest {

    private final FlowKit kit = new FlowKit();
    private final ExecutionEndedHandler handler = new ExecutionEndedHandler(kit.services);

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ABORTED, CANCELLED, execution-stopped", "TIMED_OUT, FAILED, execution-timed-out",
            "FAILED, FAILED, execution-failed"})
    void anUnfinishedFlowEndsAsItsExecutionDid(String executionStatus, FlowStatus flowStatus, String code) {
        kit.awaiting("f-1");

        JsonNode result = run(handler, statusChange("f-1", executionStatus));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(flowStatus);
        assertThat(flow.error().code()).isEqualTo(code);
        assertThat(flow.accessToken()).isEmpty();
        assertThat(result.path("flow").asText()).isEqualTo(flowStatus.name());
    }

    @Test
    void aFlowStoppedWhileExecutingHasAnUnknownOutcome() {
        kit.confirmed("f-1");
        kit.move("f-1", FlowStatus.EXECUTING);

        run(handler, statusChange("f-1", "ABORTED"));

        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
    }

    @Test
    void aFlowThatEndedIsLeftAsItIs() {
        kit.awaiting("f-1");
        kit.move("f-1", FlowStatus.REJECTED);
        Flow before = kit.get("f-1");

        JsonNode result = run(handler, statusChange("f-1", "FAILED"));

        assertThat(kit.get("f-1")).isEqualTo(before);
        assertThat(result.path("flow").asText()).isEqualTo("REJECTED");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"RUNNING", "SUCCEEDED"})
    void anExecutionThatIsRunningOrSucceededIsIgnored(String executionStatus) {
        Flow before = kit.awaiting("f-1");

        JsonNode result = run(handler, statusChange("f-1", executionStatus));

        assertThat(kit.get("f-1")).isEqualTo(before);
        assertThat(result.path("flow").asText()).isEqualTo("ignored");
    }

    @Test
    void anEventWithoutAnExecutionNameOrForAnUnknownFlowChangesNothing() {
        assertThat(run(handler, "{\"detail\": {\"status\": \"ABORTED\"}}").path("flow").asText()).isEqualTo("ignored");
        assertThat(run(handler, statusChange("ghost", "ABORTED")).path("flow").asText()).isEqualTo("no flow");
        assertThat(kit.flows.find("ghost")).isEmpty();
    }

    @ParameterizedTest
    @EnabledIf(Repository.PRESENT)
    @Event(value = "../events/execution-ended.json", type = Map.class)
    void theSampleEventCancelsTheFlowItsExecutionWasFor(Map<String, Object> event) {
        kit.pending("flow-0001");

        JsonNode result = run(handler, LambdaEvents.bytes(event), null);

        assertThat(kit.get("flow-0001").status()).isEqualTo(FlowStatus.CANCELLED);
        assertThat(kit.get("flow-0001").error().code()).isEqualTo(ErrorCode.EXECUTION_STOPPED.code());
        assertThat(result.path("flowId").asText()).isEqualTo("flow-0001");
    }

    private static String statusChange(String flowId, String status) {
        return "{\"source\": \"aws.states\", \"detail-type\": \"Step Functions Execution Status Change\","
                + " \"detail\": {\"name\": \"" + flowId + "\", \"status\": \"" + status + "\"}}";
    }
}
