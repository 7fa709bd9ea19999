package io.scaflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.core.Secret;
import io.scaflow.json.Json;
import io.scaflow.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The flow's event counter ({@code sequence}) and its end ({@code ended}) are written by the store in the same
 * conditional write as the change they count: 1 when the flow is recorded, one more with each status change and
 * when the reminder becomes due, none for the writes in between, none for a write that lost.
 */
class FlowSequenceTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryFlows flows = new InMemoryFlows(new InMemoryDynamoDb(), Duration.ofDays(1827), clock);

    @Test
    void aRecordedFlowIsAtOneAndEachStatusChangeAndTheReminderAddOne() {
        flows.create(pending("f-1"));
        assertThat(sequence("f-1")).isEqualTo(1);

        flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "created")
                .actionRequest("ar-1", 1, T0, T0.plusSeconds(60)));
        assertThat(sequence("f-1")).isEqualTo(2);

        flows.record("f-1", KnownActionRequest.received("ar-2", 1, T0.plusSeconds(60)));
        flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION,
                FlowChange.keepStatus().settled(java.util.List.of("ar-2"), java.util.List.of()));
        assertThat(sequence("f-1")).as("writes that change no status and no reminder").isEqualTo(2);

        flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION, FlowChange.keepStatus().reminderDue());
        assertThat(sequence("f-1")).isEqualTo(3);

        flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.CONFIRMED, "confirmed")
                .confirmed("ar-1", T0, Secret.of("short-lived")));
        assertThat(sequence("f-1")).isEqualTo(4);
        assertThat(flows.item("f-1")).doesNotContainKey(FlowItem.ENDED);
    }

    @Test
    void aWriteThatLosesCountsNothing() {
        flows.create(pending("f-1"));
        flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.CANCELLED, "cancelled"));

        assertThatThrownBy(() -> flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.FAILED, "late")))
                .isInstanceOf(FlowConflictException.class);
        assertThat(sequence("f-1")).isEqualTo(2);
    }

    @Test
    void aFinalStatusAndAnExpiryWithNoAttemptLeftMarkTheFlowEnded() {
        flows.create(pending("f-1"));
        flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.CANCELLED, "cancelled"));
        assertThat(flows.item("f-1").get(FlowItem.ENDED).bool()).isTrue();

        flows.create(pending("f-2"));
        flows.change("f-2", FlowStatus.PENDING, FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "created")
                .actionRequest("ar-1", 1, T0, T0.plusSeconds(60)));
        flows.change("f-2", FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.EXPIRED, "expired"));
        assertThat(flows.item("f-2")).as("EXPIRED with attempts left").doesNotContainKey(FlowItem.ENDED);
        flows.change("f-2", FlowStatus.EXPIRED, FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "renewed")
                .actionRequest("ar-2", 2, T0, T0.plusSeconds(60)));
        flows.change("f-2", FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.EXPIRED, "expired")
                .endsFlow());
        assertThat(flows.item("f-2").get(FlowItem.ENDED).bool()).isTrue();
        assertThat(sequence("f-2")).isEqualTo(5);
    }

    @Test
    void aFinishedFlowIsKeptFiveYearsFromItsEndByDefault() {
        assertThat(io.scaflow.flow.FlowSettings.fromEnv(new io.scaflow.config.Env(java.util.Map.of())).flowRetention())
                .isEqualTo(Duration.ofDays(1827));
        flows.create(pending("f-1"));
        clock.advanceSeconds(600);
        flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.CANCELLED, "cancelled"));

        assertThat(Long.parseLong(flows.item("f-1").get(FlowItem.TTL).n()))
                .isEqualTo(T0.plusSeconds(600).plus(Duration.ofDays(1827)).getEpochSecond());
    }

    private long sequence(String flowId) {
        return Long.parseLong(flows.item(flowId).get(FlowItem.SEQUENCE).n());
    }

    private Flow pending(String flowId) {
        return Flow.pending(flowId, "transfer", "u-1", Json.MAPPER.createObjectNode().put("amount", 10),
                Secret.of("access-token"), clock.instant());
    }
}
