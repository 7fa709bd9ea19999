package io.scaflow.shine;

import io.scaflow.core.Secret;

/** The fintech's OAuth client at Shine. */
public record ClientCredentials(String clientId, Secret clientSecret) {

    public ClientCredentials {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId cannot be empty");
        }
        if (clientSecret == null) {
            throw new IllegalArgumentException("clientSecret cannot be empty");
        }
    }
}
