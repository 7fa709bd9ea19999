package io.scaflow.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.core.MalformedTokenException;
import io.scaflow.core.Secret;
import io.scaflow.core.Tokens;
import java.io.IOException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Reads secrets from Secrets Manager; errors name the secret, never its value. */
public final class SecretReader {

    private final SecretsManagerClient client;

    public SecretReader(SecretsManagerClient client) {
        this.client = client;
    }

    /** The secret's text. */
    public Secret read(String secretId) {
        return Secret.of(text(secretId, false));
    }

    /** A field of a JSON secret, or the whole text when the secret is not a JSON object. */
    public Secret field(String secretId, String field) {
        return Secret.of(field(secretId, field, text(secretId, false)));
    }

    /**
     * A user's access token: field {@code field} of the secret named exactly {@code secretName} (Secrets Manager
     * also resolves a name ending in "-" and six characters as a partial ARN of another secret: the answer's name
     * must be the one asked for), checked as an RFC 6750 bearer token as stored, nothing trimmed (see
     * {@link Tokens}).
     *
     * @throws MissingSecretException when there is no such secret or field
     * @throws MalformedTokenException when the stored token is not a bearer token (its message names the secret)
     */
    public Secret accessToken(String secretName, String field) {
        String value = field(secretName, field, text(secretName, true));
        if (!Tokens.isBearerToken(value)) {
            throw new MalformedTokenException("the access token in secret " + secretName, false);
        }
        return Secret.of(value);
    }

    private String text(String secretId, boolean exactName) {
        GetSecretValueResponse answer;
        try {
            answer = client.getSecretValue(b -> b.secretId(secretId));
        } catch (ResourceNotFoundException e) {
            throw new MissingSecretException("secret " + secretId + " does not exist");
        }
        if (exactName && !secretId.equals(answer.name())) {
            throw new MissingSecretException("secret " + secretId + " does not exist (another secret answered)");
        }
        String value = answer.secretString();
        if (value == null || value.isBlank()) {
            throw new MissingSecretException("secret " + secretId + " has no text value");
        }
        return value;
    }

    private static String field(String secretId, String field, String whole) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(whole);
        } catch (IOException e) {
            return whole;
        }
        if (root == null || !root.isObject()) {
            return whole;
        }
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new MissingSecretException("secret " + secretId + " has no text field '" + field + "'");
        }
        return value.asText();
    }

    /** The secret, or the field asked for, is not there. */
    public static final class MissingSecretException extends IllegalStateException {
        MissingSecretException(String message) {
            super(message);
        }
    }
}
