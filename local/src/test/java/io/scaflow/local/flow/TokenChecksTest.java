package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.StatusChange;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token that no HTTP header may carry (RFC 6750 for the access token, visible ASCII for the short-lived one)
 * fails the flow before anything is marked as sent, and a console execution's token secret is the one of its uid.
 */
class TokenChecksTest {

    private static final String PREFIX = "scaflow/users/";

    @RegisterExtension
    final StepsRun run = new StepsRun("user-" + UUID.randomUUID().toString().substring(0, 8));

    @Test
    void anAccessTokenNoHeaderMayCarryFailsTheFlowBeforeItIsMarkedSent() {
        FlowSteps steps = run.start(Map.of());
        String token = "stored-token-\u0001-" + UUID.randomUUID();
        run.secret(token);
        String flowId = steps.recordFlow("10", token);
        steps.create(flowId);
        steps.confirmAtShine(flowId);
        steps.poll(flowId, 0);

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("FAILED");
        Flow failed = steps.flow(flowId);
        assertThat(failed.error().code()).isEqualTo("token-malformed");
        assertThat(failed.history()).extracting(StatusChange::status).doesNotContain(FlowStatus.EXECUTING);
        assertThat(failed.accessToken()).isEmpty();
        assertThat(failed.shortLivedToken()).isEmpty();
        assertThat(steps.calls(Endpoint.TRANSFER)).isZero();
    }

    @Test
    void aShortLivedTokenNoHeaderMayCarryFailsTheFlowBeforeItIsMarkedSent() {
        FlowSteps steps = run.start(Map.of());
        String flowId = steps.recordFlow("10");
        steps.create(flowId);
        steps.confirmAtShine(flowId);
        steps.harness.sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.ODD_TOKEN, 1));
        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("CONFIRMED");
        run.secret(steps.harness.sandbox.actionRequest(steps.flow(flowId).actionRequestId()).orElseThrow().token());

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("FAILED");
        Flow failed = steps.flow(flowId);
        assertThat(failed.error().code()).isEqualTo("token-malformed");
        assertThat(failed.history()).extracting(StatusChange::status).doesNotContain(FlowStatus.EXECUTING);
        assertThat(steps.calls(Endpoint.TRANSFER)).isZero();
    }

    @Test
    void aConsoleTokenSecretEndingInANewlineIsRefusedUntrimmed() {
        FlowSteps steps = run.start(Map.of("USER_TOKEN_SECRET_PREFIX", PREFIX));
        String token = steps.harness.sandbox.accessTokenOf(steps.uid);
        String secretId = steps.putSecret(PREFIX + steps.uid, token + "\n");
        String flowId = "console-" + UUID.randomUUID();

        assertThatThrownBy(() -> steps.invokeCreate(steps.consoleEvent(flowId, secretId)))
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(token));
        Flow failed = steps.flow(flowId);
        assertThat(failed.status()).isEqualTo(FlowStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("token-malformed");
        assertThat(failed.error().message()).contains(secretId);
        assertThat(failed.accessToken()).isEmpty();
        assertThat(steps.calls(Endpoint.CREATE)).isZero();
    }

    @Test
    void aConsoleExecutionCannotPairAnotherUsersTokenWithItsUid() {
        FlowSteps steps = run.start(Map.of("USER_TOKEN_SECRET_PREFIX", PREFIX));
        String othersToken = "other-users-token-" + UUID.randomUUID();
        run.secret(othersToken);
        String othersSecret = steps.putSecret(PREFIX + "other-" + UUID.randomUUID(), othersToken);
        String flowId = "console-" + UUID.randomUUID();

        assertThatThrownBy(() -> steps.invokeCreate(steps.consoleEvent(flowId, othersSecret)))
                .hasMessageContaining("accessTokenSecretId");
        Flow failed = steps.flow(flowId);
        assertThat(failed.status()).isEqualTo(FlowStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("invalid-input");
        assertThat(failed.error().message()).contains("accessTokenSecretId").contains(PREFIX + steps.uid);
        assertThat(failed.accessToken()).isEmpty();
        assertThat(steps.calls(Endpoint.CREATE)).isZero();
    }

    @Test
    void consoleExecutionsAreRefusedWhenNoTokenSecretPrefixIsConfigured() {
        FlowSteps steps = run.start(Map.of());
        String token = steps.harness.sandbox.accessTokenOf(steps.uid);
        String secretId = steps.putSecret(PREFIX + steps.uid + "-" + UUID.randomUUID(), token);
        String flowId = "console-" + UUID.randomUUID();

        assertThatThrownBy(() -> steps.invokeCreate(steps.consoleEvent(flowId, secretId)))
                .hasMessageContaining("USER_TOKEN_SECRET_PREFIX");
        assertThat(steps.flow(flowId).error().code()).isEqualTo("invalid-input");
        assertThat(steps.calls(Endpoint.CREATE)).isZero();
    }

    @Test
    void theUidsOwnSecretRunsTheFlow() {
        FlowSteps steps = run.start(Map.of("USER_TOKEN_SECRET_PREFIX", PREFIX));
        String token = steps.harness.sandbox.accessTokenOf(steps.uid);
        String secretId = steps.putSecret(PREFIX + steps.uid, token);
        String flowId = "console-" + UUID.randomUUID();

        assertThat(steps.invokeCreate(steps.consoleEvent(flowId, secretId)).get("status").asText())
                .isEqualTo("AWAITING_CONFIRMATION");
        assertThat(steps.flow(flowId).owner()).isEqualTo("console");
        steps.confirmAtShine(flowId);
        steps.poll(flowId, 0);
        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
    }
}
