package io.scaflow.local.sandbox;

/** As Shine reports it. Expiry is not a status: it shows only through {@code expiresAt}. */
public enum ActionRequestStatus {
    PENDING, CONFIRMED, REJECTED
}
