package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.stack.LocalContext;
import io.scaflow.store.FlowStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second ExecuteAction invocation for a flow whose action is being sent (a duplicate invocation, a retry after
 * a Lambda service error) never answers EXECUTING, which the state machine would end as OUTCOME_UNKNOWN: it waits
 * for the winner's outcome, and past its own time it fails with a retryable error, leaving the flow alone.
 */
class DuplicateExecuteTest {

    @RegisterExtension
    final StepsRun run = new StepsRun("user-dup");
    private FlowSteps steps;

    @Test
    void theSecondInvocationAnswersTheWinnersOutcome() throws Exception {
        steps = run.start(Map.of("SHINE_EXECUTE_TIMEOUT_MS", "5000"));
        String flowId = run.confirmedFlow("42");
        steps.harness.sandbox.injectFault(Fault.delay(Endpoint.TRANSFER, 1, 1000));

        CompletableFuture<JsonNode> winner = CompletableFuture.supplyAsync(() -> steps.execute(flowId));
        awaitStatus(flowId, FlowStatus.EXECUTING);
        JsonNode second = steps.execute(flowId,
                LocalContext.remaining("ExecuteActionFunction", Duration.ofSeconds(20)));

        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(winner.get().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(steps.harness.sandbox.transfers()).hasSize(1);
        assertThat(steps.calls(Endpoint.TRANSFER)).isEqualTo(1);
    }

    @Test
    void outOfTimeTheSecondInvocationFailsRetryablyAndLeavesTheFlowToTheWinner() throws Exception {
        steps = run.start(Map.of("SHINE_EXECUTE_TIMEOUT_MS", "8000"));
        String flowId = run.confirmedFlow("42");
        steps.harness.sandbox.injectFault(Fault.delay(Endpoint.TRANSFER, 1, 4000));

        CompletableFuture<JsonNode> winner = CompletableFuture.supplyAsync(() -> steps.execute(flowId));
        awaitStatus(flowId, FlowStatus.EXECUTING);

        assertThatThrownBy(() -> steps.execute(flowId,
                        LocalContext.remaining("ExecuteActionFunction", Duration.ofMillis(2500))))
                .satisfies(e -> assertThat(e.getClass().getName())
                        .isEqualTo("io.scaflow.flow.ExecutionInProgressException"))
                .hasMessageContaining(flowId);
        assertThat(steps.flow(flowId).status()).isEqualTo(FlowStatus.EXECUTING);
        assertThat(winner.get().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(steps.flow(flowId).history()).extracting(h -> h.status())
                .doesNotContain(FlowStatus.OUTCOME_UNKNOWN);
        assertThat(steps.harness.sandbox.transfers()).hasSize(1);
    }

    /** Waits (without a time assertion: the winner's call is held by the sandbox) until the flow is in status. */
    private void awaitStatus(String flowId, FlowStatus status) throws InterruptedException {
        while (steps.flow(flowId).status() != status) {
            Thread.sleep(20);
        }
    }
}
