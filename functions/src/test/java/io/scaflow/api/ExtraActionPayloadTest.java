package io.scaflow.api;

import static io.scaflow.api.ApiKit.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An action added by {@code SHINE_ACTIONS} gets the checks every payload gets, and a top-level {@code amount} or
 * {@code uid} the checks a transfer's get: a configured action cannot be a way around the amount limit.
 */
class ExtraActionPayloadTest {

    private final ApiKit api = new ApiKit(Map.of("MAX_AMOUNT", "1000", "MAX_BODY_BYTES", "1048576",
            "SHINE_ACTIONS", "{\"bank:cards:topup\": {\"method\": \"POST\", \"path\": \"/v3/bank/cards/topups\"}}"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "above MAX_AMOUNT | {\"amount\": 1000.01} | payload.amount",
            "zero | {\"amount\": 0} | payload.amount",
            "negative | {\"amount\": -5} | payload.amount",
            "three decimals | {\"amount\": 1.005} | payload.amount",
            "as text | {\"amount\": \"10\"} | payload.amount",
            "another uid | {\"amount\": 10, \"uid\": \"u-2\"} | payload.uid",
            "32 KiB of text | {\"note\": \"LONG\"} | payload"})
    void aConfiguredActionsPayloadIsChecked(String what, String payload, String field) {
        String body = "{\"action\": \"bank:cards:topup\", \"uid\": \"u-1\", \"accessToken\": \"t-1\", \"payload\": "
                + payload.replace("LONG", "x".repeat(32 * 1024)) + "}";
        api.send(post("/v1/actions", body)).assertProblem(400, "invalid-input", field);
        assertThat(api.dynamo.size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "an amount within bounds | {\"amount\": 999.99, \"uid\": \"u-1\"}",
            "no amount | {\"cardId\": \"c-1\"}"})
    void aConfiguredActionWithinTheRulesIsStarted(String what, String payload) {
        String body = "{\"action\": \"bank:cards:topup\", \"uid\": \"u-1\", \"accessToken\": \"t-1\", \"payload\": "
                + payload + "}";
        assertThat(api.send(post("/v1/actions", body)).status()).isEqualTo(202);
    }
}
