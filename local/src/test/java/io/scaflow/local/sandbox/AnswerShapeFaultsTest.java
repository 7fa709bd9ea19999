package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Timestamps;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fault modes that give answers Shine's documentation allows, and those that leave no usable answer. */
class AnswerShapeFaultsTest extends SandboxTestBase {

    private void inject(String json) {
        SandboxHttp.Reply reply = http.post("/sandbox/faults", json);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0} digits, {1}")
    @CsvSource({"0, Z, 'Z'", "3, Z, '\\.\\d{3}Z'", "6, Z, '\\.\\d{6}Z'", "9, +00:00, '\\.\\d{9}\\+00:00'",
            "3, +02:00, '\\.\\d{3}\\+02:00'"})
    void timestampsComeWithTheAskedFractionAndOffset(int digits, String offset, String tail) {
        inject("{\"endpoint\": \"create\", \"kind\": \"TIMESTAMPS\", \"fractionDigits\": " + digits
                + ", \"offset\": \"" + offset + "\"}");
        SandboxHttp.Reply reply = http.createTransferRequest("1");

        JsonNode data = reply.data();
        ActionRequest stored = sandbox.actionRequests().get(0);
        for (String field : new String[] {"createdAt", "updatedAt", "expiresAt"}) {
            assertThat(data.get(field).asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}" + tail);
        }
        Instant written = Timestamps.parse(data.get("expiresAt").asText());
        assertThat(Duration.between(written, stored.expiresAt())).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(http.poll(stored.id()).data().get("expiresAt").asText()).as("only the next call")
                .isEqualTo(Timestamps.format(stored.expiresAt()));
    }

    @Test
    void extraFieldsAtEveryLevelAndANullToken() {
        inject("{\"endpoint\": \"poll\", \"kind\": \"EXTRA_FIELDS\"}");
        String id = http.createdId("1");
        JsonNode root = http.poll(id).json();

        assertThat(root.get("apiVersion").asText()).isEqualTo("2.1");
        assertThat(root.get("links").isArray()).isTrue();
        assertThat(root.get("metadata").get("pagination").has("next")).isTrue();
        JsonNode data = root.get("data");
        assertThat(data.get("status").asText()).isEqualTo("PENDING");
        assertThat(data.has("token")).isTrue();
        assertThat(data.get("token").isNull()).isTrue();
        assertThat(data.get("channel").get("devices").get(0).asText()).isEqualTo("phone");
        assertThat(data.get("payload").get("extra").get("unknown").asBoolean()).isTrue();
        assertThat(data.get("payload").get("amount").asInt()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TOKEN_ABSENT, false", "TOKEN_NULL, true"})
    void aConfirmedRequestWithoutItsTokenOnceThenWithIt(String kind, boolean fieldPresent) {
        String id = http.createdId("1");
        sandbox.confirm(id);
        inject("{\"endpoint\": \"poll\", \"kind\": \"" + kind + "\"}");

        JsonNode first = http.poll(id).data();
        assertThat(first.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(first.has("token")).isEqualTo(fieldPresent);
        assertThat(first.path("token").isTextual()).isFalse();
        assertThat(http.poll(id).data().get("token").asText()).isNotBlank();
    }

    @Test
    void anUnknownStatusWhilePending() {
        String id = http.createdId("1");
        inject("{\"endpoint\": \"poll\", \"kind\": \"UNKNOWN_STATUS\", \"count\": 2}");

        assertThat(http.poll(id).data().get("status").asText()).isEqualTo("IN_REVIEW");
        sandbox.confirm(id);
        assertThat(http.poll(id).data().get("status").asText()).as("decided: shown as it is").isEqualTo("CONFIRMED");
    }

    @Test
    void rateLimitWithAnHttpDateNotProcessed() {
        inject("{\"endpoint\": \"create\", \"kind\": \"RATE_LIMIT_HTTP_DATE\", \"retryAfterSeconds\": 3}");
        Instant before = Instant.now();
        SandboxHttp.Reply reply = http.createTransferRequest("1");

        assertThat(reply.status()).isEqualTo(429);
        Instant date = ZonedDateTime.parse(reply.header("Retry-After"), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
        assertThat(reply.header("Retry-After")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(date).isAfter(before.plusSeconds(1)).isBefore(before.plusSeconds(5));
        assertThat(sandbox.actionRequests()).isEmpty();
    }

    @Test
    void error500AfterProcessingCreatesTheRequestAndMovesTheMoney() {
        inject("{\"endpoint\": \"create\", \"kind\": \"ERROR_500_PROCESSED\"}");
        assertThat(http.createTransferRequest("1").status()).isEqualTo(500);
        assertThat(sandbox.actionRequests()).as("created all the same").hasSize(1);

        String token = http.confirmedToken("234");
        inject("{\"endpoint\": \"transfer\", \"kind\": \"ERROR_500_PROCESSED\"}");
        assertThat(http.transfer(token, "234").status()).isEqualTo(500);
        assertThat(sandbox.transfers()).as("the money moved").hasSize(1);
        assertThat(sandbox.calls()).last().satisfies(c -> assertThat(c.fault()).isEqualTo("ERROR_500_PROCESSED"));
    }

    @Test
    void connectionResetAfterTheMoneyMoved() {
        String token = http.confirmedToken("234");
        inject("{\"endpoint\": \"transfer\", \"kind\": \"CONNECTION_RESET\"}");

        assertThatThrownBy(() -> http.transfer(token, "234")).isInstanceOf(UncheckedIOException.class);
        assertThat(sandbox.transfers()).hasSize(1);
        assertThat(sandbox.calls()).last().satisfies(c -> {
            assertThat(c.status()).as("no answer").isZero();
            assertThat(c.fault()).isEqualTo("CONNECTION_RESET");
        });
        assertThat(http.transfer(token, "234").status()).as("the token was spent").isEqualTo(403);
    }

    @ParameterizedTest(name = "HTTP {0}, {1}")
    @CsvSource({"200, NONE", "200, OBJECT", "200, ENVELOPE", "201, NONE", "201, OBJECT", "202, NONE", "202, OBJECT",
            "202, ENVELOPE", "204, NONE"})
    void transferSuccessAnswers(int status, String body) {
        String token = http.confirmedToken("234.50");
        inject("{\"endpoint\": \"transfer\", \"kind\": \"SUCCESS_ANSWER\", \"status\": " + status
                + ", \"body\": \"" + body + "\"}");
        SandboxHttp.Reply reply = http.transfer(token, "234.50");

        assertThat(reply.status()).isEqualTo(status);
        switch (body) {
            case "NONE" -> assertThat(reply.body()).isEmpty();
            case "OBJECT" -> assertThat(reply.json().get("amount").decimalValue()).isEqualTo("234.50");
            default -> assertThat(reply.data().get("bankTransferId").asText())
                    .isEqualTo(sandbox.transfers().get(0).bankTransferId());
        }
        assertThat(sandbox.transfers()).hasSize(1);
    }

    @Test
    void aRefusedTransferIsAnsweredAsUsualUnderAShapeFault() {
        inject("{\"endpoint\": \"transfer\", \"kind\": \"SUCCESS_ANSWER\", \"status\": 204, \"body\": \"NONE\"}");

        assertThat(http.transfer("no-such-token", "1").status()).isEqualTo(403);
        assertThat(sandbox.transfers()).isEmpty();
    }

    @Test
    void newFaultInputIsValidated() {
        for (String bad : new String[] {
                "{\"endpoint\": \"transfer\", \"kind\": \"SUCCESS_ANSWER\", \"status\": 302, \"body\": \"NONE\"}",
                "{\"endpoint\": \"transfer\", \"kind\": \"SUCCESS_ANSWER\", \"status\": 204, \"body\": \"OBJECT\"}",
                "{\"endpoint\": \"transfer\", \"kind\": \"SUCCESS_ANSWER\", \"status\": 200}",
                "{\"endpoint\": \"create\", \"kind\": \"SUCCESS_ANSWER\", \"status\": 200, \"body\": \"NONE\"}",
                "{\"endpoint\": \"poll\", \"kind\": \"TIMESTAMPS\", \"fractionDigits\": 10}",
                "{\"endpoint\": \"poll\", \"kind\": \"TIMESTAMPS\", \"offset\": \"+2\"}",
                "{\"endpoint\": \"transfer\", \"kind\": \"TOKEN_NULL\"}",
                "{\"endpoint\": \"transfer\", \"kind\": \"SUCCESS_ANSWER\", \"status\": 200, \"body\": \"XML\"}"}) {
            assertThat(http.post("/sandbox/faults", bad).status()).as(bad).isEqualTo(400);
        }
        JsonNode listed = http.post("/sandbox/faults",
                "{\"endpoint\": \"poll\", \"kind\": \"TIMESTAMPS\", \"fractionDigits\": 3, \"offset\": \"-05:30\"}").data();
        assertThat(listed.get("fractionDigits").asInt()).isEqualTo(3);
        assertThat(listed.get("offset").asText()).isEqualTo("-05:30");
    }

    @Test
    void anOddTokenCarriesCharactersNoHeaderMay() {
        String id = http.createdId("1");
        sandbox.confirm(id);
        inject("{\"endpoint\": \"poll\", \"kind\": \"ODD_TOKEN\"}");

        String token = http.poll(id).data().get("token").asText();
        assertThat(token).isEqualTo(sandbox.actionRequest(id).orElseThrow().token() + Fault.ODD_TOKEN_SUFFIX);
        assertThat(http.poll(id).data().get("token").asText()).isEqualTo(sandbox.actionRequest(id).orElseThrow().token());
    }

    @Test
    void echoSecretsQuotesWhatTheCallCarried() {
        inject("{\"endpoint\": \"create\", \"kind\": \"ECHO_SECRETS\", \"status\": 401}");
        SandboxHttp.Reply create = http.createTransferRequest("1");
        assertThat(create.status()).isEqualTo(401);
        assertThat(create.json().path("error").path("message").asText()).contains(sandbox.clientSecret());
        assertThat(sandbox.actionRequests()).isEmpty();

        String token = http.confirmedToken("1");
        inject("{\"endpoint\": \"transfer\", \"kind\": \"ECHO_SECRETS\"}");
        SandboxHttp.Reply transfer = http.transfer(token, "1");
        assertThat(transfer.status()).isEqualTo(400);
        assertThat(transfer.json().path("error").path("message").asText()).contains(token)
                .contains(sandbox.accessTokenOf(SandboxHttp.UID));
        assertThat(sandbox.transfers()).isEmpty();
        assertThatThrownBy(() -> Fault.echoSecrets(Endpoint.POLL, 1, 429)).isInstanceOf(SandboxException.class);
    }
}
