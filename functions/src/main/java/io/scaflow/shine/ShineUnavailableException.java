package io.scaflow.shine;

/**
 * Shine could not be reached or failed for now (HTTP 5xx, a timeout, a connection failure) on a call that is safe
 * to repeat. Never thrown for an action's execution once its request may have been sent: see
 * {@link ShineOutcomeUnknownException}.
 */
public final class ShineUnavailableException extends ShineException {

    /** {@code cause} is not chained (see {@link ShineException}): the message names its class. */
    public ShineUnavailableException(String message, Throwable cause) {
        super(message);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
