package io.scaflow.shine;

/**
 * The request to execute an action may have reached Shine and no usable answer came (a timeout after sending,
 * a broken connection before any status, HTTP 5xx). The action may or may not have been done: it must
 * not be sent again (the short-lived token is single use anyway); a person checks the account.
 */
public final class ShineOutcomeUnknownException extends ShineException {

    /** {@code cause} is not chained (see {@link ShineException}): the message names its class. */
    public ShineOutcomeUnknownException(String message, Throwable cause) {
        super(message);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
