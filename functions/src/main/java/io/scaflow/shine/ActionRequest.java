package io.scaflow.shine;

import io.scaflow.core.Secret;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * An action request as Shine returns it. {@code token} is the short-lived token, present once CONFIRMED.
 * {@code toString} never shows the token (it is a {@link Secret}).
 */
public record ActionRequest(
        String id,
        String clientId,
        String action,
        JsonNode payload,
        String uid,
        ActionRequestStatus status,
        String rawStatus,
        Optional<Secret> token,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt) {

    /** Expired when not decided by {@code expiresAt}: Shine shows expiry only through that field. */
    public boolean isExpiredAt(Instant now) {
        return status == ActionRequestStatus.PENDING && !now.isBefore(expiresAt);
    }
}
