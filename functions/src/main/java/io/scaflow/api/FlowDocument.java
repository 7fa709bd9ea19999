package io.scaflow.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.json.Timestamps;
import io.scaflow.core.ActionRegistry;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.StatusChange;
import java.time.Duration;
import java.time.Instant;

/** A flow as the API shows it: where it stands, what to tell the user, what Shine answered. Never a token. */
final class FlowDocument {

    private FlowDocument() {
    }

    static ObjectNode of(Flow flow, Instant now, Duration reminderDelay, int maxAttempts) {
        ObjectNode doc = Json.MAPPER.createObjectNode().put("id", flow.flowId());
        if (flow.action() != null) {
            doc.put("action", flow.action());
        }
        if (flow.uid() != null) {
            doc.put("uid", flow.uid());
        }
        if (flow.payload() != null) {
            doc.set("payload", flow.payload());
        }
        doc.put("status", flow.status().name());
        // EXPIRED is renewed while attempts remain: "ended" tells a client whether to keep waiting
        doc.put("ended", flow.hasEnded(maxAttempts));
        if (flow.attempt() > 0) {
            // no action request yet (PENDING): no attempt, as the document says (absent fields are left out)
            doc.put("attempt", flow.attempt());
        }
        time(doc, "expiresAt", flow.expiresAt());
        boolean due = flow.status() == FlowStatus.AWAITING_CONFIRMATION && (flow.reminderDue()
                || (flow.awaitingSince() != null && !now.isBefore(flow.awaitingSince().plus(reminderDelay))));
        ObjectNode reminder = doc.putObject("reminder").put("due", due);
        if (due) {
            reminder.put("message", ActionRegistry.BANK_TRANSFER.equals(flow.action())
                    ? "Open Shine's app to confirm this transfer."
                    : "Open Shine's app to confirm this action.");
        }
        if (flow.result() != null) {
            doc.set("result", flow.result());
        }
        if (flow.error() != null) {
            doc.putObject("error").put("code", flow.error().code()).put("message", flow.error().message());
        }
        ArrayNode history = doc.putArray("history");
        for (StatusChange change : flow.history()) {
            ObjectNode entry = history.addObject().put("status", change.status().name())
                    .put("at", Timestamps.format(change.at()));
            if (change.reason() != null) {
                entry.put("reason", change.reason());
            }
            if (change.reconciliation() != null) {
                ObjectNode by = entry.putObject("reconciliation").put("by", change.reconciliation().by());
                if (change.reconciliation().callerId() != null) {
                    by.put("callerId", change.reconciliation().callerId());
                }
                by.put("note", change.reconciliation().note());
                if (change.reconciliation().shineTransferId() != null) {
                    by.put("shineTransferId", change.reconciliation().shineTransferId());
                }
            }
        }
        time(doc, "createdAt", flow.createdAt());
        time(doc, "updatedAt", flow.updatedAt());
        time(doc, "confirmedAt", flow.confirmedAt());
        time(doc, "executedAt", flow.executedAt());
        return doc;
    }

    private static void time(ObjectNode doc, String field, Instant value) {
        if (value != null) {
            doc.put(field, Timestamps.format(value));
        }
    }
}
