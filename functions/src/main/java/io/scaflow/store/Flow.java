package io.scaflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.core.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One SCA flow as stored: what to do, for whom, where it stands, and its history. The two secrets are kept only
 * while the flow needs them; {@code toString} never shows them. {@code actionRequestId} is the request that opened
 * the current attempt, and once CONFIRMED the one the user confirmed; {@code actionRequests} lists every request
 * whose id reached scaflow, in the order they were recorded.
 */
public record Flow(
        String flowId,
        String action,
        String uid,
        JsonNode payload,
        FlowStatus status,
        int attempt,
        String actionRequestId,
        List<KnownActionRequest> actionRequests,
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

    /**
     * The owner of a flow started from the console (an execution whose input carries the action). API callers are
     * IAM ARNs, so none is ever this owner: the API does not show such a flow.
     */
    public static final String CONSOLE_OWNER = "console";

    public Flow {
        actionRequests = actionRequests == null ? List.of() : List.copyOf(actionRequests);
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
        return new Flow(flowId, action, uid, payload, FlowStatus.PENDING, 0, null, List.of(), now, now, null, null,
                null, null, false, null, null, List.of(new StatusChange(FlowStatus.PENDING, now, "flow recorded")),
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

    /** The known action requests that may still be confirmed (see {@link KnownActionRequest}). */
    public List<KnownActionRequest> openActionRequests() {
        return actionRequests.stream().filter(KnownActionRequest::isOpen).toList();
    }

    /** How many action requests the flow item lists (a conditional write compares it to see none was added). */
    public int recordedActionRequests() {
        return (int) actionRequests.stream().filter(KnownActionRequest::recorded).count();
    }

    /** Who started the flow through the API (its IAM caller), its Idempotency-Key, and its request's hash. */
    public Flow withRequest(String caller, String key, String hash) {
        return new Flow(flowId, action, uid, payload, status, attempt, actionRequestId, actionRequests, createdAt,
                updatedAt,
                awaitingSince, expiresAt, confirmedAt, executedAt, reminderDue, result, error, history, accessToken,
                shortLivedToken, caller, key, hash);
    }
}
