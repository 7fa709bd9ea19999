package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.aws.KmsTokenCipher;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.TokenCipherException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The flow item's tokens under KMS (moto): stored as ciphertext only, bound to their flow by the encryption context,
 * and a ciphertext that does not open stops ExecuteAction before anything is sent.
 */
class TokenEncryptionTest {

    private static final String UID = "user-kms";

    private FlowHarness harness;
    private String accessToken;

    @BeforeEach
    void start() {
        harness = new FlowHarness(Map.of());
        accessToken = harness.sandbox.accessTokenOf(UID);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aConfirmedFlowItemHoldsNeitherTokenInAnyForm() {
        String flowId = confirmedFlow();
        String shortLivedToken = harness.services.store().get(flowId).shortLivedToken().orElseThrow().reveal();

        Map<String, AttributeValue> item = rawItem(flowId);

        assertThat(item.get("accessTokenCiphertext").b()).isNotNull();
        assertThat(item.get("shortLivedTokenCiphertext").b()).isNotNull();
        assertThat(item).doesNotContainKeys("accessToken", "shortLivedToken");
        String dump = dump(item);
        for (String token : new String[] {accessToken, shortLivedToken}) {
            assertThat(dump).doesNotContain(token)
                    .doesNotContain(Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aTokenMovedToAnotherFlowDoesNotOpenAndNothingIsSent() {
        String victim = confirmedFlow();
        String attacker = confirmedFlow();
        copyAttribute(victim, attacker, "accessTokenCiphertext");

        assertThatThrownBy(() -> execute(attacker)).isInstanceOf(TokenCipherException.class)
                .hasMessageContaining(attacker).hasMessageContaining("accessToken")
                .hasMessageNotContaining(accessToken);

        assertThat(harness.services.store().get(attacker).status()).isEqualTo(FlowStatus.CONFIRMED);
        assertThat(harness.sandbox.transfers()).isEmpty();
        assertThat(harness.logs()).doesNotContain(accessToken);
    }

    @Test
    void anAccessTokenCiphertextDoesNotOpenAsTheShortLivedToken() {
        String flowId = confirmedFlow();
        copyAttribute(flowId, flowId, "accessTokenCiphertext", "shortLivedTokenCiphertext");

        assertThatThrownBy(() -> execute(flowId)).isInstanceOf(TokenCipherException.class)
                .hasMessageContaining("shortLivedToken");
        assertThat(harness.sandbox.transfers()).isEmpty();
    }

    @Test
    void aCiphertextOfAnotherKeyIsRefused() {
        try (KmsClient kms = LocalAws.kms(FlowHarness.moto().endpoint())) {
            String otherKey = kms.createKey(b -> b.description("not the token key")).keyMetadata().arn();
            Map<String, String> context = Map.of("flowId", "f-1", "attribute", "accessToken");
            SdkBytes ciphertext = new KmsTokenCipher(() -> kms, () -> otherKey).seal(Secret.of("t-1"), context);

            assertThat(new KmsTokenCipher(() -> kms, () -> otherKey).open(ciphertext, context).reveal()).isEqualTo("t-1");
            assertThatThrownBy(() -> new KmsTokenCipher(() -> kms, FlowHarness::tokenKey).open(ciphertext, context))
                    .isInstanceOf(TokenCipherException.class).hasMessageContaining("f-1");
        }
    }

    @Test
    void theConfirmedFlowStillRunsWithItsOwnTokens() {
        String flowId = confirmedFlow();

        assertThat(execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.sandbox.transfers()).hasSize(1);
        assertThat(rawItem(flowId)).doesNotContainKeys("accessTokenCiphertext", "shortLivedTokenCiphertext");
    }

    private String confirmedFlow() {
        String flowId = UUID.randomUUID().toString();
        harness.services.store().create(Flow.pending(flowId, "bank:transfers:create", UID,
                Json.MAPPER.createObjectNode().put("amount", 12).put("bankTransferRecipientId", "recipient-7")
                        .put("uid", UID),
                Secret.of(accessToken), harness.clock.instant()));
        harness.invoke(CreateActionRequestHandler::new, FlowHarness.event("create-action-request.json", flowId));
        harness.sandbox.confirm(harness.services.store().get(flowId).actionRequestId());
        JsonNode polled = harness.invoke(PollActionRequestHandler::new,
                FlowHarness.event("poll-action-request.json", flowId).put("pollCount", 0));
        assertThat(polled.get("status").asText()).isEqualTo("CONFIRMED");
        return flowId;
    }

    private JsonNode execute(String flowId) {
        return harness.invoke(ExecuteActionHandler::new, FlowHarness.event("execute-action.json", flowId));
    }

    private Map<String, AttributeValue> rawItem(String flowId) {
        return harness.dynamo.getItem(b -> b.tableName(harness.table).consistentRead(true)
                .key(Map.of("flowId", AttributeValue.fromS(flowId)))).item();
    }

    private void copyAttribute(String from, String to, String attribute) {
        copyAttribute(from, to, attribute, attribute);
    }

    private void copyAttribute(String from, String to, String attribute, String into) {
        AttributeValue value = rawItem(from).get(attribute);
        harness.dynamo.updateItem(b -> b.tableName(harness.table).key(Map.of("flowId", AttributeValue.fromS(to)))
                .updateExpression("SET #a = :v")
                .expressionAttributeNames(Map.of("#a", into))
                .expressionAttributeValues(Map.of(":v", value)));
    }

    /** Every value of the item as text, binary values as Latin-1 (any token bytes in them would show). */
    private static String dump(Map<String, AttributeValue> item) {
        StringBuilder out = new StringBuilder();
        item.forEach((name, value) -> out.append(name).append('=')
                .append(value.b() != null ? new String(value.b().asByteArray(), StandardCharsets.ISO_8859_1) : value)
                .append('\n'));
        return out.toString();
    }
}
