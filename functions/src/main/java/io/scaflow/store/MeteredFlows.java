package io.scaflow.store;

import io.scaflow.log.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link Flows} that count what they wrote, in the embedded metric format: a metric follows a write that succeeded,
 * so a lost conditional write counts nothing and a flow's start, confirmation and end are each counted once (an
 * OUTCOME_UNKNOWN flow found SUCCEEDED later is not counted again).
 * <ul>
 *   <li>{@code FlowsStarted}: a flow recorded;</li>
 *   <li>{@code FlowsEnded} (by Service, and by Service and {@code Status}): a flow moved to a final status, or to
 *       EXPIRED with no attempt left;</li>
 *   <li>{@code OutcomeUnknown}: a flow moved to OUTCOME_UNKNOWN (the one status that needs a person);</li>
 *   <li>{@code TimeToConfirmation} (ms): from the flow's start to the write of CONFIRMED.</li>
 * </ul>
 */
public final class MeteredFlows implements Flows {

    private final Flows flows;

    private MeteredFlows(Flows flows) {
        this.flows = flows;
    }

    /** {@code flows}, metered (once: metered flows are returned as they are). */
    public static Flows of(Flows flows) {
        return flows instanceof MeteredFlows ? flows : new MeteredFlows(flows);
    }

    @Override
    public void create(Flow flow) {
        flows.create(flow);
        started();
    }

    @Override
    public void create(Flow flow, List<UsageCounter> counters) {
        flows.create(flow, counters);
        started();
    }

    @Override
    public Optional<Flow> find(String flowId) {
        return flows.find(flowId);
    }

    @Override
    public Flow get(String flowId) {
        return flows.get(flowId);
    }

    @Override
    public Flow getWithTokens(String flowId) {
        return flows.getWithTokens(flowId);
    }

    @Override
    public Flow change(String flowId, FlowStatus expected, FlowChange change) {
        Flow flow = flows.change(flowId, expected, change);
        Optional<FlowStatus> target = change.target();
        if (target.isPresent() && target.get() != expected && !expected.isFinal()) {
            FlowStatus status = target.get();
            if (status.isFinal() || change.ends()) {
                Metrics line = Metrics.line().dimension("Status", status.name()).by().by("Status").count("FlowsEnded");
                if (status == FlowStatus.OUTCOME_UNKNOWN) {
                    line.count("OutcomeUnknown");
                }
                line.emit();
            } else if (status == FlowStatus.CONFIRMED && flow.createdAt() != null) {
                Instant confirmed = flow.confirmedAt() != null ? flow.confirmedAt() : flow.updatedAt();
                if (confirmed != null) {
                    Metrics.line().by().value("TimeToConfirmation",
                            Math.max(0, Duration.between(flow.createdAt(), confirmed).toMillis()),
                            Metrics.Unit.MILLISECONDS).emit();
                }
            }
        }
        return flow;
    }

    @Override
    public Flow record(String flowId, KnownActionRequest request) {
        return flows.record(flowId, request);
    }

    private static void started() {
        Metrics.line().by().count("FlowsStarted").emit();
    }
}
