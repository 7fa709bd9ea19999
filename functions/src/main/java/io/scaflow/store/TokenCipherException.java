package io.scaflow.store;

/**
 * A token could not be encrypted or decrypted (the key refused, is disabled, the ciphertext belongs to another
 * flow, KMS unavailable). The message names the flow, the token and the cause's error code, never a token.
 */
public final class TokenCipherException extends RuntimeException {

    public TokenCipherException(String message) {
        super(message);
    }
}
