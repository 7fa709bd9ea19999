package io.scaflow.api;

import io.scaflow.core.Secret;
import io.scaflow.json.Json;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowError;
import io.scaflow.store.FlowStatus;
import java.time.Instant;
import java.util.List;

/** Flows put straight into an {@link ApiKit}'s table, as the steps would have left them, for the API to find. */
final class StoredFlows {

    private StoredFlows() {
    }

    /**
     * A transfer flow of {@code owner} ({@link Flow#CONSOLE_OWNER}: started from the console; null: stored without
     * an owner) in {@code status}, along the allowed moves.
     */
    static void flowIn(ApiKit api, String flowId, FlowStatus status, String owner) {
        Flow flow = Flow.pending(flowId, "bank:transfers:create", "u-1",
                Json.MAPPER.createObjectNode().put("amount", 1).put("bankTransferRecipientId", "r-1").put("uid", "u-1"),
                Secret.of("access-" + flowId), api.clock.instant());
        api.flows.direct().create(owner == null ? flow : flow.withRequest(owner, null, "hash"));
        advance(api, flowId, status);
    }

    /**
     * Moves a PENDING flow to {@code status}: an action request on the way, a short-lived token once confirmed, the
     * error of an execute call that got no answer for OUTCOME_UNKNOWN.
     */
    private static void advance(ApiKit api, String flowId, FlowStatus status) {
        Instant now = api.clock.instant();
        List<FlowStatus> path = switch (status) {
            case PENDING -> List.of();
            case AWAITING_CONFIRMATION, REJECTED, EXPIRED -> List.of(FlowStatus.AWAITING_CONFIRMATION, status);
            case CONFIRMED, CANCELLED, FAILED -> List.of(FlowStatus.AWAITING_CONFIRMATION, FlowStatus.CONFIRMED, status);
            case EXECUTING, SUCCEEDED, OUTCOME_UNKNOWN -> List.of(FlowStatus.AWAITING_CONFIRMATION, FlowStatus.CONFIRMED,
                    FlowStatus.EXECUTING, status);
        };
        FlowStatus at = FlowStatus.PENDING;
        for (FlowStatus next : path) {
            if (next == at) {
                continue;
            }
            FlowChange change = FlowChange.to(next, "test");
            if (next == FlowStatus.AWAITING_CONFIRMATION) {
                change.actionRequest("ar-1", 1, now, now.plusSeconds(60));
            } else if (next == FlowStatus.CONFIRMED) {
                change.confirmed(now, Secret.of("slt"));
            } else if (next == FlowStatus.OUTCOME_UNKNOWN) {
                change.error(FlowError.ofFailure("io.scaflow.shine.ShineOutcomeUnknownException", "no answer"));
            }
            api.flows.direct().change(flowId, at, change);
            at = next;
        }
    }
}
