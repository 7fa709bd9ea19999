package io.scaflow.flow;

import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;

/**
 * What a step hands to the state machine: ids, statuses and numbers only, never a token.
 *
 * @param waitSeconds how long the state machine waits before the next poll
 * @param pollCount   polls made so far in this execution (the state machine caps it)
 * @param renew       on EXPIRED: true when another action request may be created
 */
public record StepResult(String flowId, FlowStatus status, int attempt, long waitSeconds, int pollCount,
                         boolean renew) {

    static StepResult of(Flow flow, long waitSeconds, int pollCount, FlowSettings settings) {
        return new StepResult(flow.flowId(), flow.status(), flow.attempt(), waitSeconds, pollCount,
                flow.canRenew(settings.maxAttempts()));
    }
}
