package io.scaflow.shine;

import io.scaflow.core.Secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.json.Json;
import io.scaflow.json.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The exact sample answers from Shine's SCA documentation, and answers that stray from it. */
class WireFormatTest {

    private static final String ENDPOINT = "GET /poll";

    @Test
    void readsTheDocumentedCreateAnswer() throws IOException {
        ActionRequest request = parse(resource("create-action-request-response.json"));

        assertThat(request.id()).isEqualTo("ACTION_REQUEST_ID");
        assertThat(request.clientId()).isEqualTo("your_client_id");
        assertThat(request.action()).isEqualTo("bank:transfers:create");
        assertThat(request.uid()).isEqualTo("USER_ID");
        assertThat(request.status()).isEqualTo(ActionRequestStatus.PENDING);
        assertThat(request.token()).isEmpty();
        assertThat(request.payload().get("amount").decimalValue()).isEqualByComparingTo("234");
        assertThat(request.payload().get("bankTransferRecipientId").asText()).isEqualTo("BANK_TRANSFER_RECIPIENT_ID");
        assertThat(request.createdAt()).isEqualTo(Instant.parse("2019-11-28T17:08:17.455967Z"));
        assertThat(request.expiresAt()).isEqualTo(Instant.parse("2019-11-28T17:09:17.437Z"));
        assertThat(Timestamps.format(request.updatedAt())).isEqualTo("2019-11-28T17:08:17.455967000Z");
    }

    @Test
    void readsTheDocumentedConfirmedPollAnswerWithItsToken() throws IOException {
        ActionRequest request = parse(resource("poll-confirmed-response.json"));

        assertThat(request.status()).isEqualTo(ActionRequestStatus.CONFIRMED);
        assertThat(request.token()).map(Secret::reveal).contains("SHORT_LIVED_TOKEN");
        assertThat(request.toString()).doesNotContain("SHORT_LIVED_TOKEN");
    }

    @Test
    void expiryComesFromExpiresAtOnly() throws IOException {
        ActionRequest request = parse(resource("create-action-request-response.json"));

        assertThat(request.isExpiredAt(Instant.parse("2019-11-28T17:09:17.436Z"))).isFalse();
        assertThat(request.isExpiredAt(Instant.parse("2019-11-28T17:09:17.437Z"))).isTrue();
    }

    @Test
    void ignoresUnknownFieldsAndKeepsAnUnknownStatus() {
        ActionRequest request = parse("""
                {"data": {"authenticationActionRequestId": "ar-1", "status": "ON_HOLD", "newField": {"x": 1},
                 "expiresAt": "2030-01-01T00:00:00Z"}, "metadata": {}, "links": []}""");

        assertThat(request.status()).isEqualTo(ActionRequestStatus.UNKNOWN);
        assertThat(request.rawStatus()).isEqualTo("ON_HOLD");
    }

    @Test
    void keepsDecimalAmountsExactly() throws IOException {
        var payload = Json.MAPPER.readTree("{\"amount\": 234.50, \"big\": 12345678901234567890.01}");

        assertThat(payload.get("amount").decimalValue()).isEqualTo(new BigDecimal("234.50"));
        assertThat(Json.MAPPER.writeValueAsString(payload)).isEqualTo("{\"amount\":234.50,\"big\":12345678901234567890.01}");
        assertThat(Json.MAPPER.createObjectNode().put("amount", new BigDecimal("234.50")).toString())
                .isEqualTo("{\"amount\":234.50}");
    }

    @Test
    void namesWhatIsWrongInAMalformedAnswer() {
        assertThatThrownBy(() -> parse("<html>oops</html>"))
                .isInstanceOf(ShineMalformedResponseException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse("{\"metadata\": {}}"))
                .isInstanceOf(ShineMalformedResponseException.class).hasMessageContaining("'data'");
        assertThatThrownBy(() -> parse("{\"data\": {\"status\": \"PENDING\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}}"))
                .isInstanceOf(ShineMalformedResponseException.class).hasMessageContaining("authenticationActionRequestId is missing");
        assertThatThrownBy(() -> parse("{\"data\": {\"authenticationActionRequestId\": \"a\", \"status\": \"PENDING\"}}"))
                .isInstanceOf(ShineMalformedResponseException.class).hasMessageContaining("expiresAt is missing");
        assertThatThrownBy(() -> parse("{\"data\": {\"authenticationActionRequestId\": \"a\", \"status\": \"PENDING\", \"expiresAt\": \"tomorrow\"}}"))
                .isInstanceOf(ShineMalformedResponseException.class).hasMessageContaining("expiresAt is not an ISO-8601");
    }

    @Test
    void refusesAnIdThatCouldChangeTheUrlPath() {
        assertThatThrownBy(() -> parse("{\"data\": {\"authenticationActionRequestId\": \"../v3/bank/transfers?x=\", "
                + "\"status\": \"PENDING\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}}"))
                .isInstanceOf(ShineMalformedResponseException.class).hasMessageContaining("characters an id may not have");
        assertThat(WireFormat.isValidId("0b0e3c1e-7a4e-4f6c-9f53-2f1b5b7f9a10")).isTrue();
        assertThat(WireFormat.isValidId("a/b")).isFalse();
        assertThat(WireFormat.isValidId("a%2Fb")).isFalse();
    }

    @Test
    void findsShinesMessageInCommonErrorShapes() {
        assertThat(WireFormat.errorMessage("{\"error\": {\"code\": \"X\", \"message\": \"uid is unknown\"}}")).isEqualTo("uid is unknown");
        assertThat(WireFormat.errorMessage("{\"message\": \"bad amount\"}")).isEqualTo("bad amount");
        assertThat(WireFormat.errorMessage("{\"errors\": [{\"message\": \"first\"}]}")).isEqualTo("first");
        assertThat(WireFormat.errorMessage("not json")).isEmpty();
        assertThat(WireFormat.errorMessage("{\"message\": \"" + "x".repeat(1000) + "\"}")).hasSize(303);
    }

    private static ActionRequest parse(String body) {
        return WireFormat.actionRequest(ENDPOINT, WireFormat.data(ENDPOINT, body));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = WireFormatTest.class.getResourceAsStream("/shine/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
