package io.scaflow.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Flow ids for new flows. With an {@code Idempotency-Key} the id is derived from the caller and the key, so every
 * retry, and every concurrent request, with that key names the same flow; the store's conditional put makes one.
 */
final class IdempotencyKey {

    static final String HEADER = "Idempotency-Key";
    private static final int MAX_LENGTH = 255;
    private static final Pattern VALID = Pattern.compile("[!-~]([ -~]*[!-~])?");

    private IdempotencyKey() {
    }

    /**
     * The key of the request, checked: 1 to 255 printable ASCII characters, spaces allowed inside only (the
     * OpenAPI pattern), sent once. A bad key is named, never echoed.
     */
    static Optional<String> of(ApiRequest request) {
        Optional<String> key = request.header(HEADER);
        if (key.isPresent() && !(key.get().length() <= MAX_LENGTH && VALID.matcher(key.get()).matches())) {
            throw Problem.invalidField(HEADER, "must be 1 to 255 printable ASCII characters, without leading or "
                    + "trailing spaces");
        }
        return key;
    }

    static String flowId(String caller, Optional<String> key) {
        return key.map(k -> "k-" + sha256(caller + "\n" + k).substring(0, 40)).orElseGet(() -> UUID.randomUUID().toString());
    }

    /** What makes two requests "the same": the canonical JSON of what the flow would run. */
    static String requestHash(String canonicalRequest) {
        return sha256(canonicalRequest);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
