package io.scaflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code GET /v1/actions/{id}} shows a failed flow's error as a stable code and scaflow's own words. */
class FlowErrorDocumentTest {

    private final ApiKit api = new ApiKit();

    @Test
    void aFlowStoredWithAClassNameAsItsCodeReadsWithItsStableCode() {
        api.dynamo.put(Map.of(
                "flowId", AttributeValue.fromS("old-flow"),
                "status", AttributeValue.fromS("FAILED"),
                "createdAt", AttributeValue.fromS("2025-01-15T09:00:00.000Z"),
                "updatedAt", AttributeValue.fromS("2025-01-15T09:01:00.000Z"),
                "owner", AttributeValue.fromS(ApiKit.CALLER),
                "history", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                        "status", AttributeValue.fromS("FAILED"),
                        "at", AttributeValue.fromS("2025-01-15T09:01:00.000Z"),
                        "reason", AttributeValue.fromS("Shine did not do the action"))))),
                "error", AttributeValue.fromM(Map.of(
                        "code", AttributeValue.fromS("io.scaflow.shine.ShineClientException"),
                        "message", AttributeValue.fromS("POST /v3/bank/transfers answered HTTP 403: token sk_live_1 refused")))));

        ApiKit.Answer answer = api.send(ApiKit.get("old-flow"));

        assertThat(answer.status()).as(answer.proxy().toString()).isEqualTo(200);
        JsonNode error = answer.body().get("error");
        assertThat(error.get("code").asText()).isEqualTo("shine-rejected-request");
        assertThat(error.get("message").asText())
                .isEqualTo("Shine refused the request; nothing was done (Shine answered HTTP 403)");
        assertThat(answer.proxy().toString()).doesNotContain("sk_live_1").doesNotContain("io.scaflow");
    }
}
