package io.scaflow.store;

import io.scaflow.core.Secret;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The two tokens of a flow item, stored as ciphertext (binary attributes) under the {@link TokenCipher}, each bound
 * to its flow and its name by the encryption context {@code {"flowId", "attribute"}}. Reading an item decrypts
 * nothing: a token read is {@linkplain Secret#sealed sealed} and opened on its first use (only ExecuteAction uses
 * them, and only its role may decrypt).
 */
final class FlowTokens {

    /** A token of the flow item: its name (in the encryption context and in messages) and its attribute. */
    enum Token {
        ACCESS_TOKEN("accessToken", "accessTokenCiphertext"),
        SHORT_LIVED_TOKEN("shortLivedToken", "shortLivedTokenCiphertext");

        final String label;
        final String attribute;
        /** Where the token was kept in plain text before it was encrypted: removed with it, never read. */
        final String legacyAttribute;

        Token(String label, String attribute) {
            this.label = label;
            this.attribute = attribute;
            this.legacyAttribute = label;
        }
    }

    /** KMS encrypts at most 4096 bytes. */
    static final int MAX_TOKEN_BYTES = 4096;

    private final TokenCipher cipher;

    FlowTokens(TokenCipher cipher) {
        this.cipher = cipher;
    }

    AttributeValue seal(String flowId, Token token, Secret value) {
        if (value.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TOKEN_BYTES) {
            throw new TokenCipherException("the " + token.label + " of flow " + flowId + " is longer than "
                    + MAX_TOKEN_BYTES + " bytes and cannot be stored");
        }
        return AttributeValue.fromB(cipher.seal(value, context(flowId, token)));
    }

    /** The token the item holds, sealed (decrypted on first use), or opened now when {@code open}. */
    Optional<Secret> read(Map<String, AttributeValue> item, String flowId, Token token, boolean open) {
        AttributeValue stored = item.get(token.attribute);
        if (stored == null || stored.b() == null) {
            return Optional.empty();
        }
        SdkBytes ciphertext = stored.b();
        Secret secret = Secret.sealed(() -> cipher.open(ciphertext, context(flowId, token)).reveal());
        if (open) {
            secret.reveal();
        }
        return Optional.of(secret);
    }

    static Map<String, String> context(String flowId, Token token) {
        return Map.of("flowId", flowId, "attribute", token.label);
    }
}
