package io.scaflow.local.sandbox;

import java.util.HashMap;
import java.util.Map;

/**
 * The users' access tokens. Any uid has {@code sandbox-access-token-<uid>} until a token is registered for it;
 * a registered token replaces that default for its uid.
 */
final class AccessTokens {

    private final Map<String, String> registered = new HashMap<>();

    synchronized String register(String uid, String accessToken) {
        String token = accessToken == null ? "sandbox-user-token-" + Secrets.randomToken(18) : accessToken;
        registered.put(uid, token);
        return token;
    }

    synchronized String tokenOf(String uid) {
        return registered.getOrDefault(uid, SandboxConfig.ACCESS_TOKEN_PREFIX + uid);
    }

    /** True when {@code token} is some user's access token (the uid is checked later, against the body). */
    synchronized boolean isKnown(String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        if (registered.containsValue(token)) {
            return true;
        }
        if (token.startsWith(SandboxConfig.ACCESS_TOKEN_PREFIX)) {
            String uid = token.substring(SandboxConfig.ACCESS_TOKEN_PREFIX.length());
            return !uid.isEmpty() && !registered.containsKey(uid);
        }
        return false;
    }

    synchronized boolean isValidFor(String uid, String token) {
        return Secrets.same(tokenOf(uid), token);
    }

    synchronized void clear() {
        registered.clear();
    }
}
