package io.scaflow.flow;

import io.scaflow.log.Log;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.Reconciliation;
import io.scaflow.store.StatusChange;
import java.time.Instant;
import java.util.List;

/**
 * A person settling an OUTCOME_UNKNOWN flow after checking the account at Shine: one conditional write
 * OUTCOME_UNKNOWN -> SUCCEEDED or FAILED ({@link FlowChange#reconciled}), who and why in its history entry. Nothing
 * is sent to Shine and no execution is touched (the flow's has ended). The same reconciliation sent again (same
 * outcome, note and transfer id) answers the flow as it is, with no second history entry; any other finds it
 * not reconcilable.
 *
 * <p>FAILED is accepted only once the flow's transfer call can no longer be in flight: {@link
 * FlowSettings#reconcileFailedAfter} after the flow became EXECUTING (ExecuteAction's Timeout and a margin). Until
 * then Shine's late 2xx may still arrive, and it would find the flow FAILED: the money moved, the flow would say it
 * did not. SUCCEEDED is accepted at once: the operator has seen the transfer, and a late 2xx agrees with it.
 */
public final class FlowReconciliations {

    private static final Log LOG = Log.of(FlowReconciliations.class);

    private final FlowServices services;

    public FlowReconciliations(FlowServices services) {
        this.services = services;
    }

    /**
     * Reconciles the flow {@code flowId} (which must exist) as {@code outcome} (SUCCEEDED or FAILED).
     *
     * @return the flow as reconciled (now, or by the same reconciliation before)
     * @throws NotReconcilableException when it is not OUTCOME_UNKNOWN and was not reconciled so
     */
    public Flow reconcile(String flowId, FlowStatus outcome, Reconciliation reconciliation) {
        if (!FlowStatus.OUTCOME_UNKNOWN.canBeReconciledTo(outcome)) {
            throw new IllegalArgumentException("a flow is reconciled as SUCCEEDED or FAILED, not " + outcome);
        }
        return ConflictRetry.run(() -> {
            Flow flow = services.store().get(flowId);
            if (flow.status() != FlowStatus.OUTCOME_UNKNOWN) {
                if (flow.status() == outcome && reconciliation.sameAs(lastReconciliation(flow))) {
                    LOG.info("reconciliation repeated", "flowId", flowId, "outcome", outcome);
                    return flow;
                }
                throw new NotReconcilableException(flow);
            }
            if (outcome == FlowStatus.FAILED) {
                Instant from = failedAcceptedFrom(flow);
                if (services.clock().instant().isBefore(from)) {
                    throw new TooEarlyException(flow, from);
                }
            }
            FlowChange change = FlowChange.reconciled(outcome, "reconciled as " + outcome + " by "
                    + reconciliation.by() + " (nothing sent to Shine)", reconciliation);
            if (outcome == FlowStatus.SUCCEEDED) {
                change.clearError();
            }
            Flow reconciled = services.store().change(flowId, FlowStatus.OUTCOME_UNKNOWN, change);
            LOG.info("flow reconciled", "flowId", flowId, "outcome", outcome, "by", reconciliation.by(),
                    "shineTransferId", reconciliation.shineTransferId());
            return reconciled;
        });
    }

    /**
     * When a FAILED reconciliation of {@code flow} is accepted: {@link FlowSettings#reconcileFailedAfter} after it
     * last became EXECUTING (after its last change if its history has no such entry).
     */
    public Instant failedAcceptedFrom(Flow flow) {
        Instant executing = flow.updatedAt();
        for (StatusChange change : flow.history()) {
            if (change.status() == FlowStatus.EXECUTING) {
                executing = change.at();
            }
        }
        return executing.plus(services.settings().reconcileFailedAfter());
    }

    /** The reconciliation of the flow's last history entry, or null. */
    public static Reconciliation lastReconciliation(Flow flow) {
        List<StatusChange> history = flow.history();
        return history.isEmpty() ? null : history.get(history.size() - 1).reconciliation();
    }

    /** The flow is not OUTCOME_UNKNOWN (any more), and was not reconciled the same way. */
    public static final class NotReconcilableException extends RuntimeException {
        private final transient Flow flow;

        NotReconcilableException(Flow flow) {
            super("flow " + flow.flowId() + " is " + flow.status() + ": only an OUTCOME_UNKNOWN flow is reconciled",
                    null, false, false);
            this.flow = flow;
        }

        /** The flow as it was found. */
        public Flow flow() {
            return flow;
        }
    }

    /** A FAILED reconciliation before {@link #failedAcceptedFrom}: the transfer call may still be in flight. */
    public static final class TooEarlyException extends RuntimeException {
        private final Instant acceptedFrom;

        TooEarlyException(Flow flow, Instant acceptedFrom) {
            super("flow " + flow.flowId() + " may still have its transfer call in flight: FAILED is accepted from "
                    + acceptedFrom, null, false, false);
            this.acceptedFrom = acceptedFrom;
        }

        /** When a FAILED reconciliation of the flow is accepted. */
        public Instant acceptedFrom() {
            return acceptedFrom;
        }
    }
}
