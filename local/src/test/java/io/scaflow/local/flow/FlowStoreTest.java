package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.json.Json;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowExistsException;
import io.scaflow.store.FlowNotFoundException;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.Flows;
import io.scaflow.store.KnownActionRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The flow store's conditional writes against moto's DynamoDB. */
class FlowStoreTest {

    private static FlowHarness harness;
    private static Flows store;

    @BeforeAll
    static void start() {
        harness = new FlowHarness(Map.of());
        store = harness.services.store();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aFlowIdIsRecordedOnce() {
        Flow flow = newFlow();
        store.create(flow);

        assertThatThrownBy(() -> store.create(flow)).isInstanceOf(FlowExistsException.class);
        assertThat(store.get(flow.flowId()).payload().get("amount").decimalValue()).isEqualTo("234.50");
    }

    @Test
    void aChangeFromAStatusTheFlowNoLongerHasIsRefusedAndNamesTheActualStatus() {
        Flow flow = newFlow();
        store.create(flow);
        store.change(flow.flowId(), FlowStatus.PENDING, FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "created")
                .actionRequest("ar-1", 1, Instant.now(), Instant.now().plusSeconds(60)));

        assertThatThrownBy(() -> store.change(flow.flowId(), FlowStatus.PENDING,
                FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "a second create")))
                .isInstanceOfSatisfying(FlowConflictException.class,
                        e -> assertThat(e.actual()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION));
        assertThat(store.get(flow.flowId()).history()).hasSize(2);
    }

    @Test
    void aFlowNeverMovesBackwardsOrLeavesAFinalStatus() {
        Flow flow = newFlow();
        store.create(flow);
        store.change(flow.flowId(), FlowStatus.PENDING, FlowChange.to(FlowStatus.CANCELLED, "cancelled"));

        assertThatThrownBy(() -> store.change(flow.flowId(), FlowStatus.CANCELLED,
                FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "revive")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot move from CANCELLED");
        assertThatThrownBy(() -> store.change(flow.flowId(), FlowStatus.PENDING,
                FlowChange.to(FlowStatus.EXECUTING, "skip ahead")))
                .isInstanceOf(IllegalStateException.class);
        Flow cancelled = store.get(flow.flowId());
        assertThat(cancelled.status()).isEqualTo(FlowStatus.CANCELLED);
        assertThat(cancelled.accessToken()).isEmpty();
    }

    @Test
    void aChangeToAMissingFlowIsAConflictWithNoActualStatus() {
        assertThatThrownBy(() -> store.change("missing-" + UUID.randomUUID(), FlowStatus.PENDING,
                FlowChange.to(FlowStatus.FAILED, "x")))
                .isInstanceOfSatisfying(FlowConflictException.class, e -> assertThat(e.actual()).isNull());
    }

    @Test
    void everyActionRequestIsListedOnceWhateverTheFlowsStatus() {
        Flow flow = newFlow();
        store.create(flow);
        Instant expiry = Instant.now().plusSeconds(60);
        store.change(flow.flowId(), FlowStatus.PENDING, FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "created")
                .actionRequest("ar-1", 1, Instant.now(), expiry));
        store.record(flow.flowId(), KnownActionRequest.received("ar-2", 1, expiry.plusSeconds(5)));
        store.record(flow.flowId(), KnownActionRequest.received("ar-2", 1, expiry.plusSeconds(5)));
        store.change(flow.flowId(), FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.CANCELLED, "stop"));

        Flow cancelled = store.record(flow.flowId(), KnownActionRequest.received("ar-3", 1, expiry));

        assertThat(cancelled.status()).isEqualTo(FlowStatus.CANCELLED);
        assertThat(cancelled.actionRequests()).extracting(KnownActionRequest::id).containsExactly("ar-1", "ar-2", "ar-3");
        assertThat(cancelled.recordedActionRequests()).isEqualTo(3);
        assertThat(cancelled.actionRequestId()).isEqualTo("ar-1");
        assertThatThrownBy(() -> store.record("missing-" + UUID.randomUUID(), KnownActionRequest.received("x", 1, expiry)))
                .isInstanceOf(FlowNotFoundException.class);
    }

    @Test
    void aDecisionOnAllRequestsDoesNotStandWhenAnotherWasListedMeanwhile() {
        Flow flow = newFlow();
        store.create(flow);
        Instant expiry = Instant.now().plusSeconds(60);
        Flow seen = store.change(flow.flowId(), FlowStatus.PENDING,
                FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "created").actionRequest("ar-1", 1, Instant.now(), expiry));
        store.record(flow.flowId(), KnownActionRequest.received("ar-2", 1, expiry));

        assertThatThrownBy(() -> store.change(flow.flowId(), FlowStatus.AWAITING_CONFIRMATION,
                FlowChange.to(FlowStatus.EXPIRED, "expired").settled(List.of(), List.of("ar-1"))
                        .whileActionRequests(seen.recordedActionRequests())))
                .isInstanceOfSatisfying(FlowConflictException.class,
                        e -> assertThat(e.actual()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION));
        Flow expired = store.change(flow.flowId(), FlowStatus.AWAITING_CONFIRMATION,
                FlowChange.to(FlowStatus.EXPIRED, "expired").settled(List.of("ar-2"), List.of("ar-1"))
                        .whileActionRequests(2));
        assertThat(expired.actionRequests()).extracting(KnownActionRequest::state)
                .containsExactly(KnownActionRequest.State.EXPIRED, KnownActionRequest.State.REJECTED);
        assertThatThrownBy(() -> store.change(flow.flowId(), FlowStatus.EXPIRED,
                FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "renewed by a stale invocation")
                        .actionRequest("ar-3", 1, Instant.now(), expiry).whileAttempt(0)))
                .isInstanceOf(FlowConflictException.class);
    }

    private static Flow newFlow() {
        return Flow.pending(UUID.randomUUID().toString(), "bank:transfers:create", "u-1",
                Json.MAPPER.createObjectNode().put("amount", new java.math.BigDecimal("234.50"))
                        .put("bankTransferRecipientId", "r-1").put("uid", "u-1"),
                Secret.of("access-token"), Instant.now());
    }
}
