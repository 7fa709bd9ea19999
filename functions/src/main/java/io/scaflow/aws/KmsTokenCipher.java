package io.scaflow.aws;

import io.scaflow.core.Secret;
import io.scaflow.store.TokenCipher;
import io.scaflow.store.TokenCipherException;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Tokens encrypted with KMS Encrypt / Decrypt under one symmetric key (the template's TokenKey, {@code TOKEN_KEY_ID})
 * and an encryption context. Decrypt names the key too, so a ciphertext made under another key is refused. One
 * call per token written or used, no data-key caching: a token is written once and used once. Errors carry KMS's
 * error code, never the token (KMS messages never hold plaintext either, but they are not passed on).
 */
public final class KmsTokenCipher implements TokenCipher {

    private final Supplier<KmsClient> kms;
    private final Supplier<String> keyId;

    /** {@code kms} and {@code keyId} are asked for on first use (functions that store no token never build them). */
    public KmsTokenCipher(Supplier<KmsClient> kms, Supplier<String> keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public SdkBytes seal(Secret token, Map<String, String> context) {
        try {
            return kms.get().encrypt(b -> b.keyId(keyId.get())
                    .plaintext(SdkBytes.fromUtf8String(token.reveal()))
                    .encryptionContext(context)).ciphertextBlob();
        } catch (SdkException e) {
            throw failure("encrypted", context, e);
        }
    }

    @Override
    public Secret open(SdkBytes ciphertext, Map<String, String> context) {
        try {
            return Secret.of(kms.get().decrypt(b -> b.keyId(keyId.get())
                    .ciphertextBlob(ciphertext)
                    .encryptionContext(context)).plaintext().asUtf8String());
        } catch (SdkException e) {
            throw failure("decrypted", context, e);
        }
    }

    private static TokenCipherException failure(String what, Map<String, String> context, SdkException e) {
        String code = e instanceof KmsException k && k.awsErrorDetails() != null
                ? k.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
        return new TokenCipherException("the " + context.get("attribute") + " of flow " + context.get("flowId")
                + " could not be " + what + " with KMS: " + code, TransientAwsFailure.is(e));
    }
}
