package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.json.Json;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poll step's pacing against moto and the sandbox: the interval (fast first, slower later) and when a follow-up
 * execution hands the flow back to its parent (docs/design.md, "Poll cadence" and "Two state machines").
 */
class PollPacingStepsTest {

    private static final String UID = "pacing-user";

    private FlowHarness harness;

    @BeforeEach
    void start() {
        harness = new FlowHarness(Map.of());
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aYoungAttemptIsPolledEveryTwoSecondsAnOlderOneEveryFive() {
        String flowId = createdFlow();

        assertThat(poll(flowId, 1, null).get("waitSeconds").asInt()).isEqualTo(2);
        harness.advance(Duration.ofSeconds(19));
        assertThat(poll(flowId, 2, null).get("waitSeconds").asInt()).isEqualTo(2);
        harness.advance(Duration.ofSeconds(1));
        assertThat(poll(flowId, 3, null).get("waitSeconds").asInt()).isEqualTo(5);
        // a renewed attempt starts fast again
        harness.advance(Duration.ofSeconds(42));
        assertThat(poll(flowId, 4, null).get("status").asText()).isEqualTo("EXPIRED");
        assertThat(create(flowId).get("attempt").asInt()).isEqualTo(2);
        assertThat(poll(flowId, 5, null).get("waitSeconds").asInt()).isEqualTo(2);
    }

    @Test
    void aFollowUpPollsAgainWhileItsNextPollFitsInItsBudgetThenHandsTheFlowBack() {
        String flowId = createdFlow();
        Instant now = harness.clock.instant();

        JsonNode early = poll(flowId, 1, now.minusSeconds(10));
        assertThat(early.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(early.get("pollAgain").asBoolean()).isTrue();

        JsonNode late = poll(flowId, 2, now.minusSeconds(179));
        assertThat(late.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(late.get("pollAgain").asBoolean()).as("the next poll would come after 180 s").isFalse();
        assertThat(late.get("waitSeconds").asInt()).isEqualTo(2);

        harness.sandbox.confirm(harness.services.store().get(flowId).actionRequestId());
        JsonNode confirmed = poll(flowId, 3, now.minusSeconds(10));
        assertThat(confirmed.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(confirmed.get("pollAgain").asBoolean()).isFalse();
    }

    @Test
    void theCreateStepNeverAsksToPollAgain() {
        String flowId = recordFlow();
        assertThat(create(flowId).get("pollAgain").asBoolean()).isFalse();
    }

    private String createdFlow() {
        String flowId = recordFlow();
        assertThat(create(flowId).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        return flowId;
    }

    private String recordFlow() {
        String flowId = UUID.randomUUID().toString();
        ObjectNode payload = Json.MAPPER.createObjectNode().put("amount", new BigDecimal("10"))
                .put("bankTransferRecipientId", "recipient-1").put("uid", UID);
        harness.services.store().create(Flow.pending(flowId, "bank:transfers:create", UID, payload,
                Secret.of(harness.sandbox.accessTokenOf(UID)), harness.clock.instant()));
        return flowId;
    }

    private JsonNode create(String flowId) {
        return harness.invoke(CreateActionRequestHandler::new, FlowHarness.event("create-action-request.json", flowId));
    }

    private JsonNode poll(String flowId, int pollCount, Instant followedSince) {
        ObjectNode event = FlowHarness.event("poll-action-request.json", flowId).put("pollCount", pollCount);
        if (followedSince != null) {
            event.put("followedSince", followedSince.toString());
        }
        return harness.invoke(PollActionRequestHandler::new, event);
    }
}
