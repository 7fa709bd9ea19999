package io.scaflow.local.stack;

/** A Step Functions API error: HTTP 400 {@code {"__type": type, "message": ...}}, which the SDK turns into its type. */
final class SfnApiException extends RuntimeException {

    private final String type;

    SfnApiException(String type, String message) {
        super(message);
        this.type = type;
    }

    String type() {
        return type;
    }
}
