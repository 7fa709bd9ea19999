package io.scaflow.local.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One action request, as stored. Immutable: a confirmation or a rejection stores a new value.
 *
 * @param payload the payload exactly as sent (numbers keep their digits); never modified, copy before handing out
 * @param policy  the user's policy when the request was created
 * @param token   the short-lived token, set once CONFIRMED
 */
public record ActionRequest(String id, String clientId, String action, String uid, JsonNode payload,
                            ActionRequestStatus status, Instant createdAt, Instant updatedAt, Instant expiresAt,
                            UserPolicy policy, String token) {

    public ActionRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(policy, "policy");
    }

    /** Expired from {@code expiresAt} on: no confirmation or rejection any more. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public boolean isPending() {
        return status == ActionRequestStatus.PENDING;
    }

    ActionRequest confirmed(Instant at, String shortLivedToken) {
        return new ActionRequest(id, clientId, action, uid, payload, ActionRequestStatus.CONFIRMED, createdAt, at,
                expiresAt, policy, shortLivedToken);
    }

    ActionRequest rejected(Instant at) {
        return new ActionRequest(id, clientId, action, uid, payload, ActionRequestStatus.REJECTED, createdAt, at,
                expiresAt, policy, null);
    }

    public JsonNode payloadCopy() {
        return payload.deepCopy();
    }
}
