package io.scaflow.store;

import java.time.Instant;

/** One entry of a flow's history: the status it moved to, when, and why (a short, secret-free reason). */
public record StatusChange(FlowStatus status, Instant at, String reason) {
}
