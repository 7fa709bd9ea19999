package io.scaflow.flow;

import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;

/**
 * What a step hands to the state machine: ids, statuses and numbers only, never a token.
 *
 * @param waitSeconds how long the state machine waits before the next poll
 * @param pollCount   polls made so far in this flow's execution (the state machine caps it)
 * @param renew       on EXPIRED: true when another action request may be created
 * @param pollAgain   true when the follow-up execution (the Express child) should wait {@code waitSeconds} and poll
 *                    again; false hands the flow back to the parent: a status other than AWAITING_CONFIRMATION, or
 *                    a next poll that would not fit in the follow-up's time budget ({@link FollowBudget})
 */
public record StepResult(String flowId, FlowStatus status, int attempt, long waitSeconds, int pollCount,
                         boolean renew, boolean pollAgain) {

    static StepResult of(Flow flow, long waitSeconds, int pollCount, FlowSettings settings) {
        return polled(flow, waitSeconds, pollCount, settings, false);
    }

    static StepResult polled(Flow flow, long waitSeconds, int pollCount, FlowSettings settings, boolean pollAgain) {
        return new StepResult(flow.flowId(), flow.status(), flow.attempt(), waitSeconds, pollCount,
                flow.canRenew(settings.maxAttempts()), pollAgain);
    }
}
