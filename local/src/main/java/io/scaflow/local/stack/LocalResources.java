package io.scaflow.local.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * What the template declares, created in a local AWS emulator (moto): the flow table (key schema and TTL from the
 * template), its KMS keys (each {@code AWS::KMS::Key}: {@code !Ref} gives the key id, {@code !GetAtt X.Arn} its
 * ARN, so the functions' {@code TOKEN_KEY_ID} names a real moto key and tokens are encrypted as deployed) and the
 * Shine credentials secret ({@code {"clientId", "clientSecret"}}) under the name the functions'
 * {@code SHINE_CREDENTIALS_SECRET_ID} resolves to, so the deployed code path (Secrets Manager) runs locally.
 * moto checks the encryption context and the key id on Decrypt; it does not apply key policies.
 *
 * <pre>{@code
 * LocalResources resources = LocalResources.create(template, moto.endpoint(), "flows-local", Map.of(),
 *         sandbox.clientId(), sandbox.clientSecret());
 * LocalLambdaService lambda = LocalLambdaService.builder(template)
 *         .references(resources.references())
 *         .environment(resources.functionEnvironment())
 *         .start();
 * }</pre>
 */
public final class LocalResources {

    private static final String USER_TOKEN_PREFIX_PARAMETER = "UserTokenSecretPrefix";

    private final URI endpoint;
    private final String tableName;
    private final boolean ttlEnabled;
    private final String credentialsSecretName;
    private final Map<String, String> references;
    private final List<String> secrets = new ArrayList<>();

    private LocalResources(URI endpoint, String tableName, boolean ttlEnabled, String credentialsSecretName,
                           Map<String, String> references) {
        this.endpoint = endpoint;
        this.tableName = tableName;
        this.ttlEnabled = ttlEnabled;
        this.credentialsSecretName = credentialsSecretName;
        this.references = references;
        secrets.add(credentialsSecretName);
    }

    /**
     * Creates the table {@code tableName} and the Shine credentials secret in the emulator at {@code endpoint}.
     * Idempotent: an existing table is kept, an existing secret gets the new value.
     *
     * @param parameters template parameter values replacing their defaults (e.g. ShineCredentialsSecretName)
     */
    public static LocalResources create(SamTemplate template, URI endpoint, String tableName,
                                        Map<String, String> parameters, String shineClientId, String shineClientSecret) {
        SamTemplate.Table table = template.table();
        Map<String, String> refs = new LinkedHashMap<>(template.parameterValues(parameters));
        refs.put(table.logicalId(), tableName);
        boolean ttl = false;
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(endpoint)) {
            try {
                dynamo.createTable(b -> b.tableName(tableName)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(table.keySchema().stream().map(k -> KeySchemaElement.builder()
                                .attributeName(k.attributeName()).keyType(k.keyType()).build()).toList())
                        .attributeDefinitions(table.keySchema().stream().map(k -> AttributeDefinition.builder()
                                .attributeName(k.attributeName()).attributeType(k.attributeType()).build()).toList())
                        .applyMutation(request -> template.tableStreamViewType().ifPresent(view ->
                                request.streamSpecification(stream -> stream.streamEnabled(true)
                                        .streamViewType(view)))));
            } catch (ResourceInUseException exists) {
                // kept as is
            }
            // !GetAtt <table>.StreamArn (the publisher's role, its event source mapping)
            String stream = dynamo.describeTable(b -> b.tableName(tableName)).table().latestStreamArn();
            if (stream != null) {
                refs.put(table.logicalId() + ".StreamArn", stream);
            }
            if (table.ttlAttribute().isPresent()) {
                try {
                    dynamo.updateTimeToLive(b -> b.tableName(tableName).timeToLiveSpecification(s -> s
                            .attributeName(table.ttlAttribute().get()).enabled(true)));
                    ttl = true;
                } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException e) {
                    // already enabled (ValidationException) or not supported: TTL is not needed locally
                    ttl = e.getMessage() != null && e.getMessage().contains("already enabled");
                }
            }
        }
        createKeys(template, endpoint, refs);
        String secretName = credentialsSecretName(template, refs);
        putSecret(endpoint, secretName, Map.of("clientId", shineClientId, "clientSecret", shineClientSecret));
        return new LocalResources(endpoint, tableName, ttl, secretName, Collections.unmodifiableMap(refs));
    }

    /** A moto key for each {@code AWS::KMS::Key}; a new one each time (moto keys cost nothing and are never reused). */
    private static void createKeys(SamTemplate template, URI endpoint, Map<String, String> refs) {
        List<String> keys = template.logicalIds("AWS::KMS::Key");
        if (keys.isEmpty()) {
            return;
        }
        try (KmsClient kms = LocalAws.kms(endpoint)) {
            for (String logicalId : keys) {
                KeyMetadata key = kms.createKey(b -> b.description("scaflow local " + logicalId)).keyMetadata();
                refs.put(logicalId, key.keyId());
                refs.put(logicalId + ".Arn", key.arn());
            }
        }
    }

    /** The secret name {@code SHINE_CREDENTIALS_SECRET_ID} resolves to (the ShineCredentialsSecretName value). */
    private static String credentialsSecretName(SamTemplate template, Map<String, String> refs) {
        return template.functions().values().stream()
                .map(f -> f.environment().get("SHINE_CREDENTIALS_SECRET_ID"))
                .filter(v -> v != null)
                .findFirst()
                .map(v -> SamTemplate.resolve(v, refs))
                .orElseGet(() -> refs.getOrDefault("ShineCredentialsSecretName", "scaflow/shine-credentials"));
    }

    /** The flow table's name. */
    public String tableName() {
        return tableName;
    }

    /** The table's stream (its latest stream ARN), when the template declares one. */
    public Optional<String> streamArn() {
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(endpoint)) {
            return Optional.ofNullable(dynamo.describeTable(b -> b.tableName(tableName)).table().latestStreamArn());
        }
    }

    /** Whether TTL was enabled on the table's TTL attribute. */
    public boolean ttlEnabled() {
        return ttlEnabled;
    }

    /** The Shine credentials secret's name. */
    public String credentialsSecretName() {
        return credentialsSecretName;
    }

    /** The emulator's endpoint. */
    public URI endpoint() {
        return endpoint;
    }

    /** References for {@link LocalLambdaServiceBuilder#references}: parameter values, the table's name, the keys. */
    public Map<String, String> references() {
        return references;
    }

    /** Variables pointing the functions' AWS clients at the emulator: endpoint, region, dummy credentials. */
    public Map<String, String> functionEnvironment() {
        return Map.of(
                "AWS_ENDPOINT_URL", endpoint.toString(),
                "AWS_REGION", LocalAws.REGION_ID,
                "AWS_DEFAULT_REGION", LocalAws.REGION_ID,
                "AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
    }

    /**
     * Stores a user's Shine access token as a console execution expects it: secret {@code <UserTokenSecretPrefix>uid}
     * holding {@code {"accessToken": ...}}. Returns the secret's name (the input's {@code accessTokenSecretId}).
     */
    public String putUserAccessToken(String uid, String accessToken) {
        String name = references.getOrDefault(USER_TOKEN_PREFIX_PARAMETER, "scaflow/users/") + uid;
        putSecret(endpoint, name, Map.of("accessToken", accessToken));
        synchronized (secrets) {
            secrets.add(name);
        }
        return name;
    }

    /** Deletes the table and the secrets this object created. */
    public void delete() {
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(endpoint)) {
            dynamo.deleteTable(b -> b.tableName(tableName));
        } catch (ResourceNotFoundException gone) {
            // already deleted
        }
        try (SecretsManagerClient sm = LocalAws.secretsManager(endpoint)) {
            synchronized (secrets) {
                for (String name : secrets) {
                    try {
                        sm.deleteSecret(b -> b.secretId(name).forceDeleteWithoutRecovery(true));
                    } catch (SecretsManagerException gone) {
                        // already deleted
                    }
                }
            }
        }
    }

    private static void putSecret(URI endpoint, String name, Map<String, String> value) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        try (SecretsManagerClient sm = LocalAws.secretsManager(endpoint)) {
            try {
                sm.createSecret(b -> b.name(name).secretString(json));
            } catch (ResourceExistsException exists) {
                sm.putSecretValue(b -> b.secretId(name).secretString(json));
            }
        }
    }
}
