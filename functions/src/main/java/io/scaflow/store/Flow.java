package io.scaflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.shine.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One SCA flow as stored: what to do, for whom, where it stands, and its history. The two secrets are kept only
 * while the flow needs them; {@code toString} never shows them.
 */
public record Flow(
        String flowId,
        String action,
        String uid,
        JsonNode payload,
        FlowStatus status,
        int attempt,
        String actionRequestId,
        Instant createdAt,
        Instant updatedAt,
        Instant awaitingSince,
        Instant expiresAt,
        Instant confirmedAt,
        Instant executedAt,
        boolean reminderDue,
        JsonNode result,
        FlowError error,
        List<StatusChange> history,
        Optional<Secret> accessToken,
        Optional<Secret> shortLivedToken,
        String owner,
        String idempotencyKey,
        String requestHash) {

    public Flow {
        history = history == null ? List.of() : List.copyOf(history);
        accessToken = accessToken == null ? Optional.empty() : accessToken;
        shortLivedToken = shortLivedToken == null ? Optional.empty() : shortLivedToken;
    }

    /** A new flow, PENDING, not yet at Shine. */
    public static Flow pending(String flowId, String action, String uid, JsonNode payload, Secret accessToken,
                               Instant now) {
        return recorded(flowId, action, uid, payload, Optional.of(accessToken), now);
    }

    /** A new PENDING flow, with the access token when there is one (an input refused before it had one has not). */
    public static Flow recorded(String flowId, String action, String uid, JsonNode payload,
                                Optional<Secret> accessToken, Instant now) {
        return new Flow(flowId, action, uid, payload, FlowStatus.PENDING, 0, null, now, now, null, null, null, null,
                false, null, null, List.of(new StatusChange(FlowStatus.PENDING, now, "flow recorded")),
                accessToken, Optional.empty(), null, null, null);
    }

    /** EXPIRED with attempts left: a new action request may be created. */
    public boolean canRenew(int maxAttempts) {
        return status == FlowStatus.EXPIRED && attempt < maxAttempts;
    }

    /** Nothing more will happen to this flow: a final status, or EXPIRED with no attempt left. */
    public boolean hasEnded(int maxAttempts) {
        return status.isFinal() || (status == FlowStatus.EXPIRED && !canRenew(maxAttempts));
    }

    /** Who started the flow through the API (its IAM caller), its Idempotency-Key, and its request's hash. */
    public Flow withRequest(String caller, String key, String hash) {
        return new Flow(flowId, action, uid, payload, status, attempt, actionRequestId, createdAt, updatedAt,
                awaitingSince, expiresAt, confirmedAt, executedAt, reminderDue, result, error, history, accessToken,
                shortLivedToken, caller, key, hash);
    }
}
