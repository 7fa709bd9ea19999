package io.scaflow.local.sandbox;

import java.time.Instant;

/**
 * One call to the Shine API (control calls under {@code /sandbox} are not recorded). Holds no query string, no
 * header and no body: never a secret or a token.
 *
 * @param fault the injected fault kind applied to the call, or null
 */
public record CallRecord(Endpoint endpoint, String method, String path, int status, Instant time, String fault) {
}
