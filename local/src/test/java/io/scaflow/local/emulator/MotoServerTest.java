package io.scaflow.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

class MotoServerTest {
    private static MotoServer moto;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
            assertThat(moto.isAlive()).isFalse();
        }
    }

    @Test
    void servesOnLoopbackAndLogsToTarget() {
        assertThat(moto.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(moto.endpoint().getPort()).isPositive();
        assertThat(moto.isAlive()).isTrue();
        assertThat(moto.logFile()).exists();
        assertThat(moto.logFile().toString()).contains("target");
    }

    @Test
    void dynamoDbTableWithTtlAndConditionalPut() {
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(moto.endpoint())) {
            String table = "flows-test";
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("flowId").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("flowId").keyType(KeyType.HASH).build()));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
            dynamo.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
            assertThat(dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription())
                    .satisfies(d -> {
                        assertThat(d.attributeName()).isEqualTo("expiresAt");
                        assertThat(d.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
                    });

            PutItemRequest put = PutItemRequest.builder()
                    .tableName(table)
                    .item(Map.of(
                            "flowId", AttributeValue.fromS("flow-1"),
                            "status", AttributeValue.fromS("PENDING"),
                            "expiresAt", AttributeValue.fromN("4102444800")))
                    .conditionExpression("attribute_not_exists(flowId)")
                    .build();
            dynamo.putItem(put);
            assertThatThrownBy(() -> dynamo.putItem(put)).isInstanceOf(ConditionalCheckFailedException.class);

            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                    .key(Map.of("flowId", AttributeValue.fromS("flow-1")))
                    .consistentRead(true)).item();
            assertThat(item.get("status").s()).isEqualTo("PENDING");
        }
    }

    @Test
    void secretsManagerCreateAndRead() {
        try (SecretsManagerClient secrets = LocalAws.secretsManager(moto.endpoint())) {
            String json = "{\"clientId\":\"id-1\",\"clientSecret\":\"s3cr3t\"}";
            String arn = secrets.createSecret(b -> b.name("scaflow/test/shine").secretString(json)).arn();
            assertThat(arn).contains(LocalAws.REGION_ID);
            assertThat(secrets.getSecretValue(b -> b.secretId("scaflow/test/shine")).secretString()).isEqualTo(json);
            assertThat(secrets.getSecretValue(b -> b.secretId(arn)).secretString()).isEqualTo(json);
        }
    }

    @Test
    void missingVenvSaysRunMakeVenv(@TempDir Path emptyRoot) throws Exception {
        Files.writeString(emptyRoot.resolve("Makefile"), "");
        assertThatThrownBy(() -> MotoServer.start(emptyRoot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run make venv");
    }
}
