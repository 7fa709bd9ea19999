package io.scaflow.local.flow;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.config.Env;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.StepHandler;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.emulator.MotoServer;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.sandbox.MutableClock;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.sandbox.ShineSandbox;
import io.scaflow.log.Log;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Step handlers wired to moto (DynamoDB, Secrets Manager) and the Shine sandbox, sharing one movable clock so
 * tests can let an action request expire or a reminder fall due. Captures the log lines the handlers write.
 */
final class FlowHarness implements AutoCloseable {
    private PrintStream previousLog;

    private static MotoServer moto;
    /** The moto KMS key the flows' tokens are encrypted under (the template's TokenKey). */
    private static String tokenKey;

    final MutableClock clock = MutableClock.startingNow();
    final ShineSandbox sandbox;
    final DynamoDbClient dynamo;
    final String table = "flows-" + UUID.randomUUID();
    final FlowServices services;
    final Env env;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    FlowHarness(Map<String, String> overrides) {
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0).withClock(clock));
        dynamo = LocalAws.dynamoDb(moto().endpoint());
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("flowId").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("flowId")
                        .attributeType(ScalarAttributeType.S).build()));
        Map<String, String> values = new HashMap<>(Map.of(
                "TABLE_NAME", table,
                "AWS_REGION", LocalAws.REGION_ID,
                "AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY,
                "AWS_ENDPOINT_URL", moto().endpoint().toString(),
                "SHINE_API_BASE_URL", sandbox.baseUrl(),
                "SHINE_CLIENT_ID", sandbox.clientId(),
                "SHINE_CLIENT_SECRET", sandbox.clientSecret(),
                "SHINE_REQUEST_TIMEOUT_MS", "1000",
                "SHINE_EXECUTE_TIMEOUT_MS", "1000"));
        values.put("TOKEN_KEY_ID", tokenKey());
        values.putAll(overrides);
        env = new Env(values);
        services = FlowServices.create(env, clock);
        previousLog = Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    static synchronized String tokenKey() {
        if (tokenKey == null) {
            try (KmsClient kms = LocalAws.kms(moto().endpoint())) {
                tokenKey = kms.createKey(b -> b.description("scaflow tests: flow tokens")).keyMetadata().arn();
            }
        }
        return tokenKey;
    }

    static synchronized MotoServer moto() {
        if (moto == null) {
            moto = MotoServer.start();
        }
        return moto;
    }

    /** Runs {@code handler} as the Lambda runtime would: JSON in, JSON out. */
    JsonNode invoke(Function<FlowServices, StepHandler> handler, JsonNode event) {
        return invoke(handler, event, null);
    }

    /** As above, with the invocation's {@code context} (its remaining time), or none. */
    JsonNode invoke(Function<FlowServices, StepHandler> handler, JsonNode event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.apply(services).handleRequest(
                    new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, context);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample event from events/, as `sam local invoke` would send it, for another flow id. */
    static ObjectNode event(String file, String flowId) {
        try {
            ObjectNode event = (ObjectNode) Json.MAPPER.readTree(
                    Files.readString(RepoRoot.find().resolve("events").resolve(file)));
            return event.put("flowId", flowId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void advance(Duration step) {
        clock.advance(step);
    }

    String logs() {
        return logs.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        Log.redirect(previousLog);
        sandbox.close();
        dynamo.deleteTable(b -> b.tableName(table));
        dynamo.close();
    }
}
