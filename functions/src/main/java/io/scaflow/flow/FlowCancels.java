package io.scaflow.flow;

import io.scaflow.log.Log;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;

/**
 * Cancelling a flow whose action has not been sent: a conditional write to CANCELLED from the status it was read
 * in (read again if another writer moved it, see {@link ConflictRetry}), then its execution is stopped.
 */
public final class FlowCancels {

    private static final Log LOG = Log.of(FlowCancels.class);

    private final FlowServices services;

    public FlowCancels(FlowServices services) {
        this.services = services;
    }

    /**
     * Cancels the flow {@code flowId} (which must exist), noting {@code reason} in its history.
     *
     * @return the cancelled flow
     * @throws NotCancellableException when it has ended or its action may already have been sent
     */
    public Flow cancel(String flowId, String reason) {
        return ConflictRetry.run(() -> {
            Flow flow = services.store().get(flowId);
            if (flow.hasEnded(services.settings().maxAttempts()) || flow.status().isPastExecution()) {
                throw new NotCancellableException(flow);
            }
            Flow cancelled = services.store().change(flowId, flow.status(),
                    FlowChange.to(FlowStatus.CANCELLED, reason));
            services.executions().stop(flowId, reason);
            LOG.info("flow cancelled", "flowId", flowId, "from", flow.status());
            return cancelled;
        });
    }

    /** The flow has ended, or its action may already have been sent to Shine. */
    public static final class NotCancellableException extends RuntimeException {
        private final transient Flow flow;

        NotCancellableException(Flow flow) {
            super("flow " + flow.flowId() + " is " + flow.status() + ": it can no longer be cancelled", null, false,
                    false);
            this.flow = flow;
        }

        /** The flow as it was found. */
        public Flow flow() {
            return flow;
        }
    }
}
