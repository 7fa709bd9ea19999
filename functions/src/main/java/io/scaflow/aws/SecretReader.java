package io.scaflow.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.shine.Secret;
import java.io.IOException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Reads secrets from Secrets Manager; errors name the secret, never its value. */
public final class SecretReader {

    private final SecretsManagerClient client;

    public SecretReader(SecretsManagerClient client) {
        this.client = client;
    }

    /** The secret's text. */
    public Secret read(String secretId) {
        try {
            String value = client.getSecretValue(b -> b.secretId(secretId)).secretString();
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("secret " + secretId + " has no text value");
            }
            return Secret.of(value);
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("secret " + secretId + " does not exist");
        }
    }

    /** A field of a JSON secret, or the whole text when the secret is not a JSON object. */
    public Secret field(String secretId, String field) {
        Secret whole = read(secretId);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(whole.reveal());
        } catch (IOException e) {
            return whole;
        }
        if (root == null || !root.isObject()) {
            return whole;
        }
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalStateException("secret " + secretId + " has no text field '" + field + "'");
        }
        return Secret.of(value.asText());
    }
}
