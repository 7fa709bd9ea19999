package io.scaflow.store;

import io.scaflow.core.Secret;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;

/**
 * A {@link TokenCipher} in memory with KMS's contract: the ciphertext is a random handle (it holds nothing of the
 * token), and it opens only with the context it was sealed with. Counts the calls.
 */
public final class FakeTokenCipher implements TokenCipher {

    private record Sealed(String token, Map<String, String> context) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Sealed> sealed = new ConcurrentHashMap<>();
    public final AtomicInteger seals = new AtomicInteger();
    public final AtomicInteger opens = new AtomicInteger();

    @Override
    public SdkBytes seal(Secret token, Map<String, String> context) {
        seals.incrementAndGet();
        byte[] handle = new byte[32];
        random.nextBytes(handle);
        sealed.put(Base64.getEncoder().encodeToString(handle), new Sealed(token.reveal(), Map.copyOf(context)));
        return SdkBytes.fromByteArray(handle);
    }

    @Override
    public Secret open(SdkBytes ciphertext, Map<String, String> context) {
        opens.incrementAndGet();
        Sealed found = sealed.get(Base64.getEncoder().encodeToString(ciphertext.asByteArray()));
        if (found == null || !found.context().equals(context)) {
            throw new TokenCipherException("the " + context.get("attribute") + " of flow " + context.get("flowId")
                    + " could not be decrypted with KMS: InvalidCiphertextException");
        }
        return Secret.of(found.token());
    }
}
