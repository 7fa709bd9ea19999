package io.scaflow.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.store.FlowImage;
import java.util.Optional;

/**
 * One event of a flow, as the fintech receives it on the bus: its status changed, or the reminder became due. The
 * detail holds ids, statuses, numbers, booleans and the time only (never a token, the payload or the uid).
 *
 * @param previousStatus the status before the change; null for the flow's first event (recorded PENDING)
 * @param sequence the flow's event counter: a consumer orders a flow's events by it and drops a repeated one
 */
public record StatusEvent(String detailType, String flowId, String action, String status, String previousStatus,
                          int attempt, boolean reminder, boolean ended, long sequence, String time) {

    public static final String SOURCE = "scaflow";
    public static final String STATUS_CHANGED = "Flow Status Changed";
    public static final String REMINDER_DUE = "Flow Reminder Due";

    /**
     * The event a write made, from the item before ({@code old}, empty for a new item) and after it: one when the
     * write took the next sequence number (a status change, the reminder); none for the writes in between (an
     * action request recorded, a poll's settled ids), for an item written before the sequence existed, and for
     * anything that is not a flow item.
     */
    public static Optional<StatusEvent> of(Optional<FlowImage> old, Optional<FlowImage> now) {
        if (now.isEmpty() || now.get().sequence() <= old.map(FlowImage::sequence).orElse(0L)) {
            return Optional.empty();
        }
        FlowImage flow = now.get();
        String previous = old.map(FlowImage::status).orElse(null);
        boolean statusChanged = !flow.status().equals(previous);
        boolean reminder = flow.reminderDue() && !old.map(FlowImage::reminderDue).orElse(false);
        if (!statusChanged && !reminder) {
            return Optional.empty();
        }
        return Optional.of(new StatusEvent(statusChanged ? STATUS_CHANGED : REMINDER_DUE, flow.flowId(),
                flow.action(), flow.status(), previous, flow.attempt(), flow.reminderDue(), flow.ended(),
                flow.sequence(), flow.updatedAt()));
    }

    /** The event's {@code detail}. */
    public ObjectNode detail() {
        ObjectNode detail = Json.MAPPER.createObjectNode()
                .put("flowId", flowId)
                .put("action", action)
                .put("status", status)
                .put("previousStatus", previousStatus)
                .put("attempt", attempt)
                .put("reminder", reminder)
                .put("ended", ended)
                .put("sequence", sequence)
                .put("time", time);
        return detail;
    }
}
