package io.scaflow.flow;

import io.scaflow.log.Log;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowError;
import io.scaflow.store.FlowStatus;
import java.util.Optional;

/**
 * Ends a flow whose execution stopped before the flow reached a final status. A flow caught while EXECUTING
 * becomes OUTCOME_UNKNOWN whatever the reason (its request may have reached Shine); any other unfinished flow takes
 * the given status; an ended flow is left as it is.
 */
final class FlowEnding {

    private static final Log LOG = Log.of(FlowEnding.class);

    private FlowEnding() {
    }

    /** The flow as it ends up, or empty when no flow has this id. */
    static Optional<Flow> end(FlowServices services, String flowId, FlowStatus target, FlowError error) {
        return ConflictRetry.run(() -> {
            Optional<Flow> found = services.store().find(flowId);
            if (found.isEmpty() || found.get().hasEnded(services.settings().maxAttempts())) {
                return found;
            }
            Flow flow = found.get();
            FlowStatus to = flow.status() == FlowStatus.EXECUTING ? FlowStatus.OUTCOME_UNKNOWN : target;
            Flow ended = services.store().change(flowId, flow.status(),
                    FlowChange.to(to, "stopped: " + error.message()).error(error));
            LOG.warn("flow stopped", "flowId", flowId, "status", to, "error", error.code());
            return Optional.of(ended);
        });
    }
}
