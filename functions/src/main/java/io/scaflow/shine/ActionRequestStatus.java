package io.scaflow.shine;

/**
 * An action request's status as Shine reports it. Expiry is not a status at Shine: it is read from
 * {@code expiresAt}. A status this version does not know is {@link #UNKNOWN}; the raw text is kept beside it.
 */
public enum ActionRequestStatus {
    PENDING,
    CONFIRMED,
    REJECTED,
    UNKNOWN;

    public static ActionRequestStatus from(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        for (ActionRequestStatus status : values()) {
            if (status != UNKNOWN && status.name().equalsIgnoreCase(text.trim())) {
                return status;
            }
        }
        return UNKNOWN;
    }
}
