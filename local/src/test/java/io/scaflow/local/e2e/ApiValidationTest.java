package io.scaflow.local.e2e;

import static io.scaflow.local.e2e.ApiProxyClient.assertProblem;
import static io.scaflow.local.e2e.ApiProxyClient.body;
import static io.scaflow.local.e2e.ApiProxyClient.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public API's handler, given API Gateway proxy events, on the local stack: what it refuses before a flow is
 * made (invalid fields, unknown actions, malformed, oversized or non-object bodies, duplicate keys) and its answers
 * to unknown ids and methods, each a problem document naming the field or the reason.
 */
class ApiValidationTest {

    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast();
    private static final E2eDriver driver = STACK.driver();
    private static final ApiProxyClient api = new ApiProxyClient(driver);

    static Stream<Arguments> invalidTransfers() {
        return Stream.of(
                Arguments.of("{\"amount\": 10, \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}", "uid"),
                Arguments.of(transfer("bad uid!", "10", "r-1"), "uid"),
                Arguments.of(transfer("u-1", "0", "r-1"), "amount"),
                Arguments.of(transfer("u-1", "-5", "r-1"), "amount"),
                Arguments.of(transfer("u-1", "12.345", "r-1"), "amount"),
                Arguments.of(transfer("u-1", "100000.01", "r-1"), "amount"),
                Arguments.of("{\"uid\": \"u-1\", \"amount\": \"10\", \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}", "amount"),
                Arguments.of(transfer("u-1", "10", "not a recipient/id"), "bankTransferRecipientId"),
                Arguments.of("{\"uid\": \"u-1\", \"amount\": 10, \"bankTransferRecipientId\": \"r-1\"}", "accessToken"));
    }

    @ParameterizedTest
    @MethodSource("invalidTransfers")
    void refusesAnInvalidTransferNamingTheField(String body, String field) {
        JsonNode answer = api.call("POST", "/v1/transfers", null, body, Map.of());

        assertProblem(answer, 400, "invalid-input");
        assertThat(body(answer).get("errors")).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo(field));
    }

    @Test
    void refusesAnUnknownActionAndAMissingPayload() {
        JsonNode answer = api.call("POST", "/v1/actions", null,
                "{\"action\": \"bank:teleport\", \"uid\": \"u-1\", \"accessToken\": \"t\"}", Map.of());

        assertProblem(answer, 400, "invalid-input");
        assertThat(body(answer).get("errors")).extracting(e -> e.get("field").asText()).containsExactly("action", "payload");
        assertThat(body(answer).get("detail").asText()).contains("bank:transfers:create").doesNotContain("bank:teleport");
    }

    @Test
    void refusesDuplicateKeysTrailingDataAndUnknownPayloadFields() {
        assertProblem(api.call("POST", "/v1/transfers", null,
                "{\"uid\": \"u-1\", \"amount\": 7, \"amount\": 9, \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}",
                Map.of()), 400, "malformed-json");
        assertProblem(api.call("POST", "/v1/transfers", null, transfer("u-1", "7", "r-1") + " trailing", Map.of()),
                400, "malformed-json");
        JsonNode extra = api.call("POST", "/v1/actions", null, "{\"action\": \"bank:transfers:create\", \"uid\": \"u-1\", "
                + "\"accessToken\": \"t\", \"payload\": {\"amount\": 7, \"bankTransferRecipientId\": \"r-1\", "
                + "\"iban\": \"FR76\"}}", Map.of());
        assertProblem(extra, 400, "invalid-input");
        assertThat(body(extra).get("errors")).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo("payload.iban"));
    }

    @Test
    void refusesMalformedOversizedOrNonObjectBodies() {
        assertProblem(api.call("POST", "/v1/transfers", null, "{\"uid\": ", Map.of()), 400, "malformed-json");
        assertProblem(api.call("POST", "/v1/transfers", null, "[1, 2]", Map.of()), 400, "malformed-json");
        assertProblem(api.call("POST", "/v1/transfers", null, "", Map.of()), 400, "malformed-json");
        String huge = "{\"uid\": \"" + "x".repeat(20_000) + "\"}";
        assertProblem(api.call("POST", "/v1/transfers", null, huge, Map.of()), 413, "body-too-large");
        assertProblem(api.call("POST", "/v1/transfers", null, transfer("u-1", "10", "r-1"),
                Map.of("Idempotency-Key", "x".repeat(256))), 400, "invalid-input");
    }

    @Test
    void answersUnknownIdsAndMethodsClearly() {
        assertProblem(api.call("GET", "/v1/actions/{id}", "no-such-flow", null, Map.of()), 404, "not-found");
        assertProblem(api.call("GET", "/v1/actions/{id}", "../../etc", null, Map.of()), 404, "not-found");
        assertProblem(api.call("DELETE", "/v1/actions/{id}", "no-such-flow", null, Map.of()), 404, "not-found");
        JsonNode notAllowed = api.call("PUT", "/v1/actions", null, "{}", Map.of());
        assertProblem(notAllowed, 405, "method-not-allowed");
        assertThat(notAllowed.get("headers").get("Allow").asText()).isEqualTo("POST");
    }
}
