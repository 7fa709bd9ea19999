package io.scaflow.store;

/**
 * A token could not be encrypted or decrypted (the key refused, is disabled, the ciphertext belongs to another
 * flow, KMS unavailable). The message names the flow, the token and the cause's error code, never a token.
 */
public final class TokenCipherException extends RuntimeException {

    private final boolean transientFailure;

    public TokenCipherException(String message) {
        this(message, false);
    }

    /** {@code transientFailure}: KMS throttled, failed or did not answer ({@link #isTransient()}). */
    public TokenCipherException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    /** Whether another attempt may succeed: KMS throttled the call, answered 5xx or did not answer. */
    public boolean isTransient() {
        return transientFailure;
    }
}
