package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.core.Secret;
import io.scaflow.input.InvalidInputException;
import io.scaflow.store.FlowStatus;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The create step given a console execution's input (no API in between), against moto and the Shine sandbox: the
 * user's token is read from the Secrets Manager secret the input names, and bad input is refused field by field
 * and recorded as FAILED. No secret in any output or log line.
 */
class ConsoleInputStepsTest {

    private static final String UID = "user-42";

    @RegisterExtension
    final StepsRun run = new StepsRun(UID);

    @Test
    void consoleExecutionInputIsRecordedWithTheTokenFromSecretsManager() {
        String prefix = "scaflow/users/" + UUID.randomUUID() + "/";
        FlowSteps steps = run.start(Map.of("USER_TOKEN_SECRET_PREFIX", prefix));
        String secretId = steps.putSecret(prefix + UID, steps.harness.sandbox.accessTokenOf(UID));
        ObjectNode event = steps.consoleEvent(UUID.randomUUID().toString(), secretId);
        String flowId = event.get("flowId").asText();

        assertThat(steps.invokeCreate(event).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(steps.flow(flowId).accessToken()).map(Secret::reveal)
                .contains(steps.harness.sandbox.accessTokenOf(UID));
    }

    @Test
    void badConsoleInputIsRefusedByFieldAndRecordedAsFailed() {
        FlowSteps steps = run.start(Map.of());
        ObjectNode event = FlowHarness.event("create-action-request.json", UUID.randomUUID().toString());
        ((ObjectNode) event.get("input")).remove("uid");
        ((ObjectNode) event.get("input").get("payload")).put("amount", 12.345);
        String flowId = event.get("flowId").asText();

        assertThatThrownBy(() -> steps.invokeCreate(event))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("uid: is required")
                .hasMessageContaining("payload.amount: must have at most two decimals");
        assertThat(steps.flow(flowId).status()).isEqualTo(FlowStatus.FAILED);
        assertThat(steps.flow(flowId).error().message()).contains("uid: is required");

        ObjectNode withToken = FlowHarness.event("create-action-request.json", UUID.randomUUID().toString());
        ((ObjectNode) withToken.get("input")).put("accessToken", "raw-token-in-input");
        assertThatThrownBy(() -> steps.invokeCreate(withToken))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("accessToken: must not be in an execution input");
    }
}
