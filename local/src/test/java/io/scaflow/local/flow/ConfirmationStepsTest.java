package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;


import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.StatusChange;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The create and poll steps against moto and the Shine sandbox, up to the user's answer: a confirmed flow run to
 * SUCCEEDED that forgets its tokens, a rejection, an expired request renewed while attempts remain, the reminder,
 * and polls that Shine rate-limits, fails or answers unreadably. No secret in any output or log line.
 */
class ConfirmationStepsTest {

    private static final String UID = "user-42";

    @RegisterExtension
    final StepsRun run = new StepsRun(UID);

    @Test
    void confirmedFlowRunsTheTransferOnceAndForgetsItsTokens() {
        FlowSteps steps = run.start(Map.of());
        String flowId = steps.recordFlow("234.50");

        JsonNode created = steps.create(flowId);
        assertThat(created.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(created.get("attempt").asInt()).isEqualTo(1);
        assertThat(created.get("waitSeconds").asInt()).isEqualTo(2);
        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");

        steps.confirmAtShine(flowId);
        JsonNode polled = steps.poll(flowId, 1);
        assertThat(polled.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(polled.get("pollCount").asInt()).isEqualTo(2);
        Flow confirmed = steps.flow(flowId);
        assertThat(confirmed.shortLivedToken()).isPresent();
        run.secret(confirmed.shortLivedToken().get().reveal());

        JsonNode executed = steps.execute(flowId);
        assertThat(executed.get("status").asText()).isEqualTo("SUCCEEDED");
        Flow done = steps.flow(flowId);
        assertThat(done.result().get("bankTransferId").asText()).isNotBlank();
        assertThat(done.confirmedAt()).isNotNull();
        assertThat(done.executedAt()).isNotNull();
        assertThat(done.accessToken()).isEmpty();
        assertThat(done.shortLivedToken()).isEmpty();
        assertThat(done.history()).extracting(StatusChange::status).containsExactly(FlowStatus.PENDING,
                FlowStatus.AWAITING_CONFIRMATION, FlowStatus.CONFIRMED, FlowStatus.EXECUTING, FlowStatus.SUCCEEDED);
        assertThat(steps.harness.sandbox.transfers()).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualByComparingTo("234.50"));
        assertThat(steps.harness.dynamo.getItem(b -> b.tableName(steps.harness.table)
                .key(Map.of("flowId", AttributeValue.fromS(flowId))))
                .item()).containsKey("ttl").doesNotContainKeys("accessToken", "shortLivedToken");
    }

    @Test
    void rejectedFlowEndsWithoutTransfer() {
        FlowSteps steps = run.start(Map.of());
        String flowId = steps.recordFlow("10");
        steps.create(flowId);
        steps.harness.sandbox.reject(steps.flow(flowId).actionRequestId());

        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("REJECTED");
        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("REJECTED");
        assertThat(steps.flow(flowId).accessToken()).isEmpty();
        assertThat(steps.harness.sandbox.transfers()).isEmpty();
    }

    @Test
    void expiredRequestIsRenewedWhileAttemptsRemain() {
        FlowSteps steps = run.start(Map.of("MAX_ATTEMPTS", "2"));
        String flowId = steps.recordFlow("10");
        steps.create(flowId);
        String firstRequest = steps.flow(flowId).actionRequestId();

        steps.harness.advance(Duration.ofSeconds(61));
        JsonNode expired = steps.poll(flowId, 5);
        assertThat(expired.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(expired.get("renew").asBoolean()).isTrue();

        JsonNode renewed = steps.create(flowId);
        assertThat(renewed.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(renewed.get("attempt").asInt()).isEqualTo(2);
        assertThat(steps.flow(flowId).actionRequestId()).isNotEqualTo(firstRequest);

        steps.harness.advance(Duration.ofSeconds(61));
        JsonNode last = steps.poll(flowId, 0);
        assertThat(last.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(last.get("renew").asBoolean()).isFalse();
        assertThat(steps.flow(flowId).accessToken()).isEmpty();
        assertThat(steps.create(flowId).get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void reminderFallsDueAfterTheConfiguredDelay() {
        FlowSteps steps = run.start(Map.of("REMINDER_DELAY_SECONDS", "10"));
        String flowId = steps.recordFlow("10");
        steps.create(flowId);

        steps.harness.advance(Duration.ofSeconds(9));
        steps.poll(flowId, 0);
        assertThat(steps.flow(flowId).reminderDue()).isFalse();

        steps.harness.advance(Duration.ofSeconds(1));
        assertThat(steps.poll(flowId, 1).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(steps.flow(flowId).reminderDue()).isTrue();
    }

    @Test
    void rateLimitedPollWaitsAsLongAsShineAsks() {
        FlowSteps steps = run.start(Map.of());
        String flowId = steps.recordFlow("10");
        steps.create(flowId);
        steps.harness.sandbox.injectFault(Fault.retryAfter(Endpoint.POLL, Fault.Kind.RATE_LIMIT, 1, 17));

        JsonNode polled = steps.poll(flowId, 0);
        assertThat(polled.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(polled.get("waitSeconds").asInt()).isEqualTo(17);
        assertThat(steps.poll(flowId, 1).get("waitSeconds").asInt()).isEqualTo(2);
    }

    @Test
    void aFailedOrUnreadablePollIsMadeAgainAtTheNextInterval() {
        FlowSteps steps = run.start(Map.of());
        String flowId = steps.recordFlow("10");
        steps.create(flowId);
        steps.harness.sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.ERROR_500, 1));
        steps.harness.sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.MALFORMED, 1));

        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(steps.poll(flowId, 1).get("waitSeconds").asInt()).isEqualTo(2);
        steps.confirmAtShine(flowId);
        assertThat(steps.poll(flowId, 2).get("status").asText()).isEqualTo("CONFIRMED");
    }
}
