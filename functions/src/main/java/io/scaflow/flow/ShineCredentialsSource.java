package io.scaflow.flow;

import io.scaflow.aws.SecretReader;
import io.scaflow.config.ConfigurationException;
import io.scaflow.config.Env;
import io.scaflow.shine.ClientCredentials;
import io.scaflow.core.Secret;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Shine's client credentials: from the Secrets Manager secret {@code SHINE_CREDENTIALS_SECRET_ID}
 * ({@code {"clientId", "clientSecret"}}), or, for local runs only, from {@code SHINE_CLIENT_ID} and
 * {@code SHINE_CLIENT_SECRET}.
 */
final class ShineCredentialsSource {

    private ShineCredentialsSource() {
    }

    static ClientCredentials load(Env env, Supplier<SecretReader> secrets) {
        Optional<String> id = env.optional("SHINE_CLIENT_ID");
        Optional<String> secret = env.optional("SHINE_CLIENT_SECRET");
        if (id.isPresent() && secret.isPresent()) {
            return new ClientCredentials(id.get(), Secret.of(secret.get()));
        }
        String secretId = env.optional("SHINE_CREDENTIALS_SECRET_ID").orElseThrow(() -> new ConfigurationException(
                "SHINE_CREDENTIALS_SECRET_ID", "is not set (nor SHINE_CLIENT_ID and SHINE_CLIENT_SECRET)"));
        SecretReader reader = secrets.get();
        return new ClientCredentials(reader.field(secretId, "clientId").reveal(), reader.field(secretId, "clientSecret"));
    }
}
