package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.store.Flow;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shine's error bodies are not scaflow's to repeat: an upstream that quotes the call's secrets in its message
 * (ECHO_SECRETS) leaves none of them in a step's exception (the execution history's Cause), a stored error, a step
 * result or a log line.
 */
class ShineEchoesSecretsTest {

    @RegisterExtension
    final StepsRun run = new StepsRun("user-" + UUID.randomUUID().toString().substring(0, 8));
    private FlowSteps steps;

    @BeforeEach
    void start() {
        steps = run.start(Map.of());
    }

    @AfterEach
    void shineEchoedTheSecrets() {
        assertThat(steps.harness.sandbox.calls()).as("Shine echoed the call's secrets")
                .anyMatch(call -> "ECHO_SECRETS".equals(call.fault()));
    }

    @Test
    void aRefusedCreateQuotingTheClientSecret() {
        String flowId = steps.recordFlow("10");
        steps.harness.sandbox.injectFault(Fault.echoSecrets(Endpoint.CREATE, 1, 400));

        String cause = failure(() -> steps.create(flowId));
        steps.recordFailure(flowId, "io.scaflow.shine.ShineClientException", cause);
        assertStored(flowId, "shine-rejected-request");
    }

    @Test
    void anUnavailableCreateQuotingTheClientSecret() {
        String flowId = steps.recordFlow("10");
        steps.harness.sandbox.injectFault(Fault.echoSecrets(Endpoint.CREATE, 2, 503));

        String cause = failure(() -> steps.create(flowId));
        steps.recordFailure(flowId, "io.scaflow.shine.ShineUnavailableException", cause);
        assertStored(flowId, "shine-unavailable");
    }

    @Test
    void aRefusedPollQuotingTheClientSecretOfItsQuery() {
        String flowId = steps.recordFlow("10");
        steps.create(flowId);
        steps.harness.sandbox.injectFault(Fault.echoSecrets(Endpoint.POLL, 1, 403));

        String cause = failure(() -> steps.poll(flowId, 0));
        steps.recordFailure(flowId, "io.scaflow.shine.ShineClientException", cause);
        assertStored(flowId, "shine-rejected-request");
    }

    @Test
    void aRefusedTransferQuotingBothTokens() {
        String flowId = run.confirmedFlow("10");
        steps.harness.sandbox.injectFault(Fault.echoSecrets(Endpoint.TRANSFER, 1, 422));

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("FAILED");
        assertStored(flowId, "shine-rejected-request");
    }

    @Test
    void aFailedTransferQuotingBothTokens() {
        String flowId = run.confirmedFlow("10");
        steps.harness.sandbox.injectFault(Fault.echoSecrets(Endpoint.TRANSFER, 1, 500));

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("OUTCOME_UNKNOWN");
        assertStored(flowId, "outcome-unknown");
    }

    private String failure(Runnable step) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(step::run).satisfies(e -> caught[0] = e);
        StringBuilder all = new StringBuilder();
        for (Throwable t = caught[0]; t != null; t = t.getCause()) {
            all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        run.seen(all.toString());
        return caught[0].getMessage();
    }

    private void assertStored(String flowId, String code) {
        Flow flow = steps.flow(flowId);
        assertThat(flow.error().code()).isEqualTo(code);
        run.seen(flow.error().message() + " " + flow.history());
    }
}
