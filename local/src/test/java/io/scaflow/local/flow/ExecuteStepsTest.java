package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;


import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.StatusChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The execute step against moto and the Shine sandbox, the money rules: a rate-limited action sent once more while
 * the token is valid, a late answer that turns OUTCOME_UNKNOWN into SUCCEEDED, two invocations at once sending one
 * transfer, no answer ending OUTCOME_UNKNOWN with nothing sent again, Shine refusing the action, a token older than
 * a minute never sent. No secret in any output or log line.
 */
class ExecuteStepsTest {

    private static final String UID = "user-42";

    @RegisterExtension
    final StepsRun run = new StepsRun(UID);

    @Test
    void aRateLimitedActionIsSentOnceMoreWhileTheTokenIsValid() {
        FlowSteps steps = run.start(Map.of());
        String flowId = run.confirmedFlow("20");
        steps.harness.sandbox.injectFault(Fault.retryAfter(Endpoint.TRANSFER, Fault.Kind.RATE_LIMIT, 1, 1));

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(steps.harness.sandbox.transfers()).hasSize(1);
        assertThat(steps.harness.sandbox.calls()).filteredOn(c -> c.endpoint() == Endpoint.TRANSFER).hasSize(2);
    }

    @Test
    void aLateAnswerFromShineTurnsOutcomeUnknownIntoSucceeded() throws Exception {
        FlowSteps steps = run.start(Map.of("SHINE_EXECUTE_TIMEOUT_MS", "5000"));
        String flowId = run.confirmedFlow("30");
        steps.harness.sandbox.injectFault(Fault.delay(Endpoint.TRANSFER, 1, 1500));

        CompletableFuture<JsonNode> executing = CompletableFuture.supplyAsync(() -> steps.execute(flowId));
        Thread.sleep(700);
        assertThat(steps.recordFailure(flowId, "States.Timeout", "Shine answered 503").get("status").asText()).isEqualTo("OUTCOME_UNKNOWN");

        assertThat(executing.get().get("status").asText()).isEqualTo("SUCCEEDED");
        Flow flow = steps.flow(flowId);
        assertThat(flow.result().get("bankTransferId").asText()).isNotBlank();
        assertThat(flow.history()).extracting(StatusChange::status).endsWith(FlowStatus.EXECUTING,
                FlowStatus.OUTCOME_UNKNOWN, FlowStatus.SUCCEEDED);
        assertThat(steps.harness.sandbox.transfers()).hasSize(1);
    }

    @Test
    void executeInvokedTwiceAtOnceSendsOneTransfer() throws Exception {
        FlowSteps steps = run.start(Map.of());
        String flowId = run.confirmedFlow("99.99");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return steps.execute(flowId);
            }));
        }
        go.countDown();
        for (CompletableFuture<JsonNode> run : runs) {
            assertThat(run.get().get("status").asText()).isIn("EXECUTING", "SUCCEEDED");
        }
        assertThat(steps.harness.sandbox.transfers()).hasSize(1);
        assertThat(steps.flow(flowId).status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(steps.harness.sandbox.transfers()).hasSize(1);
    }

    @Test
    void noAnswerAfterSendingEndsOutcomeUnknownAndNothingIsSentAgain() {
        FlowSteps steps = run.start(Map.of());
        String flowId = run.confirmedFlow("12.30");
        steps.harness.sandbox.injectFault(Fault.delay(Endpoint.TRANSFER, 1, 2500));

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("OUTCOME_UNKNOWN");
        Flow unknown = steps.flow(flowId);
        assertThat(unknown.error().code()).isEqualTo("outcome-unknown");
        assertThat(unknown.shortLivedToken()).isEmpty();

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(steps.recordFailure(flowId, "States.Timeout", "Shine answered 503").get("status").asText()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(steps.harness.sandbox.calls()).filteredOn(c -> c.endpoint() == Endpoint.TRANSFER).hasSize(1);
    }

    @Test
    void shineRefusingTheActionFailsTheFlow() {
        FlowSteps steps = run.start(Map.of());
        String flowId = steps.recordFlow("10", "not-the-users-token");
        steps.create(flowId);
        steps.confirmAtShine(flowId);
        steps.poll(flowId, 0);

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("FAILED");
        assertThat(steps.flow(flowId).error().code()).isEqualTo("shine-rejected-request");
        assertThat(steps.flow(flowId).error().message()).contains("HTTP 401").doesNotContain("not-the-users-token");
        assertThat(steps.harness.sandbox.transfers()).isEmpty();
    }

    @Test
    void aTokenOlderThanAMinuteIsNotSent() {
        FlowSteps steps = run.start(Map.of());
        String flowId = run.confirmedFlow("10");
        steps.harness.advance(Duration.ofSeconds(60));

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("FAILED");
        assertThat(steps.flow(flowId).error().code()).isEqualTo("token-expired");
        assertThat(steps.harness.sandbox.calls()).noneMatch(c -> c.endpoint() == Endpoint.TRANSFER);
    }
}
