package io.scaflow.shine;

/**
 * Something went wrong talking to Shine. The concrete class says what the caller may do; it is also the error
 * name Step Functions matches in {@code Retry} and {@code Catch} (the exception's fully qualified class name).
 * Messages carry the endpoint, the HTTP status and scaflow's account of the failure, never Shine's own message (an
 * error body may quote what the call carried), a credential or a token. No cause is chained: the JDK's exceptions
 * are named by class in the message (their messages are not scaflow's to repeat).
 */
public abstract sealed class ShineException extends RuntimeException
        permits ShineClientException, ShineRateLimitedException, ShineUnavailableException,
                ShineMalformedResponseException, ShineOutcomeUnknownException {

    protected ShineException(String message) {
        super(message);
    }

    /** True when the same call may be made again later. */
    public abstract boolean retryable();
}
