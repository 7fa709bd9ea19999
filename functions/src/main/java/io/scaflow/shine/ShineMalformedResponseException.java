package io.scaflow.shine;

/** Shine answered with a body that is not what its documentation describes; the message names what is wrong. */
public final class ShineMalformedResponseException extends ShineException {

    public ShineMalformedResponseException(String message) {
        super(message);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
