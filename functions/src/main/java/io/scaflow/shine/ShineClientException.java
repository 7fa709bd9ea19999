package io.scaflow.shine;

/**
 * Shine answered no for good (HTTP 4xx other than 429): bad input, wrong credentials, unknown id, refused token.
 * The message names the endpoint and the status only: Shine's own message may quote what the call carried (a
 * token, the client secret), so it is kept apart ({@link #shineMessage()}) and never logged or stored.
 */
public final class ShineClientException extends ShineException {

    private final int httpStatus;
    private final String shineMessage;

    public ShineClientException(String endpoint, int httpStatus, String shineMessage) {
        super(endpoint + " answered HTTP " + httpStatus);
        this.httpStatus = httpStatus;
        this.shineMessage = shineMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Shine's message, as Shine wrote it (shortened): may hold anything; never log or store it. */
    public String shineMessage() {
        return shineMessage;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
