package io.scaflow.shine;

/**
 * Something went wrong talking to Shine. The concrete class says what the caller may do; it is also the error
 * name Step Functions matches in {@code Retry} and {@code Catch} (the exception's fully qualified class name).
 * Messages carry the endpoint, the HTTP status and Shine's message, never a credential or token.
 */
public abstract sealed class ShineException extends RuntimeException
        permits ShineClientException, ShineRateLimitedException, ShineUnavailableException,
                ShineMalformedResponseException, ShineOutcomeUnknownException {

    protected ShineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same call may be made again later. */
    public abstract boolean retryable();
}
