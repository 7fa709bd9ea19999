package io.scaflow.store;

import java.time.Instant;

/**
 * One entry of a flow's history: the status it moved to, when, and why (a short, secret-free reason); for a move
 * made by a person's reconciliation, who and why ({@link Reconciliation}, else null).
 */
public record StatusChange(FlowStatus status, Instant at, String reason, Reconciliation reconciliation) {

    public StatusChange(FlowStatus status, Instant at, String reason) {
        this(status, at, reason, null);
    }
}
