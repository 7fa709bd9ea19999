package io.scaflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.core.Secret;
import io.scaflow.json.Json;
import io.scaflow.log.MetricLines;
import io.scaflow.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A metric follows a write that succeeded, never one that lost its condition. */
class MeteredFlowsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T13:00:00Z"));
    private final Flows flows = MeteredFlows.of(new InMemoryFlows(clock));
    private final MetricLines metrics = new MetricLines();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void aRecordedFlowIsCountedAsStarted() {
        flows.create(flow("f-1"));

        assertThat(metrics.named("FlowsStarted")).singleElement()
                .satisfies(line -> assertThat(line.path("FlowsStarted").asDouble()).isEqualTo(1.0));
    }

    @Test
    void aLostConditionalWriteCountsNothing() {
        flows.create(flow("f-1"));
        flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.CANCELLED, "cancelled"));

        assertThatThrownBy(() -> flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.FAILED, "late")))
                .isInstanceOf(FlowConflictException.class);

        assertThat(metrics.named("FlowsEnded")).singleElement()
                .satisfies(line -> assertThat(line.path("Status").asText()).isEqualTo("CANCELLED"));
    }

    @Test
    void metersOnlyOnce() {
        assertThat(MeteredFlows.of(flows)).isSameAs(flows);
    }

    private Flow flow(String id) {
        return Flow.pending(id, "bank:transfers:create", "u-1",
                Json.MAPPER.createObjectNode().put("amount", 1).put("bankTransferRecipientId", "r").put("uid", "u-1"),
                Secret.of("access"), clock.instant());
    }
}
