package io.scaflow.shine;

/** Shine answered no for good (HTTP 4xx other than 429): bad input, wrong credentials, unknown id, refused token. */
public final class ShineClientException extends ShineException {

    private final int httpStatus;
    private final String shineMessage;

    public ShineClientException(String endpoint, int httpStatus, String shineMessage) {
        super(endpoint + " answered HTTP " + httpStatus + (shineMessage.isEmpty() ? "" : ": " + shineMessage), null);
        this.httpStatus = httpStatus;
        this.shineMessage = shineMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String shineMessage() {
        return shineMessage;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
