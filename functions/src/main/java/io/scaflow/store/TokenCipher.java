package io.scaflow.store;

import io.scaflow.core.Secret;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;

/**
 * Encrypts the tokens a flow item holds (the user's access token, the short-lived token) so that the item, its
 * backups and its point-in-time recovery copies hold ciphertext only. {@code context} is bound to the ciphertext
 * (KMS encryption context: authenticated, not secret): a ciphertext opens only with the context it was sealed with,
 * so it cannot be moved to another flow item or another attribute. The store gives
 * {@code {"flowId": <id>, "attribute": <accessToken | shortLivedToken>}}.
 *
 * <p>Implementations throw {@link TokenCipherException} (never with the token in its message).
 */
public interface TokenCipher {

    SdkBytes seal(Secret token, Map<String, String> context);

    Secret open(SdkBytes ciphertext, Map<String, String> context);
}
