package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Timestamps;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HappyPathTest extends SandboxTestBase {

    private static final String NINE_DIGITS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z";


    @Test
    void baseUrlIsLoopbackWithTheChosenPort() {
        assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
        assertThat(sandbox.port()).isPositive();
    }

    @Test
    void createConfirmPollAndTransfer() {
        SandboxHttp.Reply created = http.createTransferRequest("234");
        assertThat(created.status()).isEqualTo(200);
        String id = created.data().get("authenticationActionRequestId").asText();
        assertThat(created.data().get("status").asText()).isEqualTo("PENDING");
        assertThat(created.data().has("token")).isFalse();

        assertThat(http.poll(id).data().get("status").asText()).isEqualTo("PENDING");
        sandbox.confirm(id);
        SandboxHttp.Reply polled = http.poll(id);
        assertThat(polled.status()).isEqualTo(200);
        assertThat(polled.data().get("status").asText()).isEqualTo("CONFIRMED");
        String token = polled.data().get("token").asText();
        assertThat(token).isNotBlank();

        SandboxHttp.Reply transfer = http.transfer(token, "234");
        assertThat(transfer.status()).isEqualTo(201);
        JsonNode data = transfer.data();
        assertThat(data.get("bankTransferId").asText()).isNotBlank();
        assertThat(data.get("amount").toString()).isEqualTo("234");
        assertThat(data.get("bankTransferRecipientId").asText()).isEqualTo(SandboxHttp.RECIPIENT);
        assertThat(data.get("uid").asText()).isEqualTo(SandboxHttp.UID);
        assertThat(data.get("status").asText()).isEqualTo("PENDING");
        assertThat(data.get("createdAt").asText()).matches(NINE_DIGITS);
        assertThat(transfer.json().get("metadata").isObject()).isTrue();

        assertThat(sandbox.transfers()).singleElement().satisfies(t -> {
            assertThat(t.actionRequestId()).isEqualTo(id);
            assertThat(t.bankTransferId()).isEqualTo(data.get("bankTransferId").asText());
        });
    }

    @Test
    void createAnswersShinesEnvelope() {
        Instant before = Instant.now();
        SandboxHttp.Reply created = http.createTransferRequest("234");
        JsonNode root = created.json();
        assertThat(created.header("Content-Type")).startsWith("application/json");
        assertThat(root.fieldNames()).toIterable().containsExactly("data", "metadata");
        assertThat(root.get("metadata").isObject()).isTrue();
        assertThat(root.get("metadata").size()).isZero();
        JsonNode data = root.get("data");
        assertThat(data.fieldNames()).toIterable().containsExactly("authenticationActionRequestId", "clientId",
                "action", "payload", "uid", "status", "updatedAt", "createdAt", "expiresAt");
        assertThat(data.get("clientId").asText()).isEqualTo("sandbox-client");
        assertThat(data.get("action").asText()).isEqualTo("bank:transfers:create");
        assertThat(data.get("uid").asText()).isEqualTo(SandboxHttp.UID);
        assertThat(data.get("createdAt").asText()).matches(NINE_DIGITS);
        assertThat(data.get("updatedAt").asText()).matches(NINE_DIGITS).isEqualTo(data.get("createdAt").asText());
        assertThat(data.get("expiresAt").asText()).matches(NINE_DIGITS);
        Instant createdAt = Timestamps.parse(data.get("createdAt").asText());
        assertThat(createdAt).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(Duration.between(createdAt, Timestamps.parse(data.get("expiresAt").asText())))
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void payloadIsEchoedExactly() {
        String payload = SandboxHttp.transferPayload("234.50", SandboxHttp.RECIPIENT, SandboxHttp.UID);
        SandboxHttp.Reply created = http.create(SandboxHttp.createBody(SandboxConfig.TRANSFER_ACTION,
                SandboxHttp.UID, payload, "sandbox-client", "sandbox-secret"));
        assertThat(created.body()).contains("\"amount\":234.50");
        assertThat(created.data().get("payload").toString())
                .isEqualTo("{\"amount\":234.50,\"bankTransferRecipientId\":\"recipient-1\",\"uid\":\"user-1\"}");
        String id = created.data().get("authenticationActionRequestId").asText();
        sandbox.confirm(id);
        SandboxHttp.Reply polled = http.poll(id);
        assertThat(polled.body()).contains("\"amount\":234.50");
        SandboxHttp.Reply transfer = http.transfer(polled.data().get("token").asText(), "234.50");
        assertThat(transfer.status()).isEqualTo(201);
        assertThat(transfer.body()).contains("\"amount\":234.50");

        SandboxHttp.Reply integer = http.createTransferRequest("234");
        assertThat(integer.body()).contains("\"amount\":234,");
    }

    @Test
    void pollShowsTheTokenOnlyOnceConfirmedAndKeepsTimestamps() {
        SandboxHttp.Reply created = http.createTransferRequest("10");
        String id = created.data().get("authenticationActionRequestId").asText();
        JsonNode pending = http.poll(id).data();
        assertThat(pending.has("token")).isFalse();
        assertThat(pending.get("createdAt")).isEqualTo(created.data().get("createdAt"));
        sandbox.confirm(id);
        JsonNode confirmed = http.poll(id).data();
        assertThat(confirmed.fieldNames()).toIterable().containsExactly("authenticationActionRequestId",
                "clientId", "action", "payload", "uid", "status", "token", "updatedAt", "createdAt", "expiresAt");
        assertThat(confirmed.get("createdAt")).isEqualTo(created.data().get("createdAt"));
        assertThat(confirmed.get("expiresAt")).isEqualTo(created.data().get("expiresAt"));
        assertThat(confirmed.get("token")).isEqualTo(http.poll(id).data().get("token"));
    }

    @Test
    void registeredUserUsesItsOwnAccessToken() {
        SandboxHttp.Reply registered = http.post("/sandbox/users",
                "{\"uid\": \"" + SandboxHttp.UID + "\", \"accessToken\": \"my-token\"}");
        assertThat(registered.status()).isEqualTo(201);
        assertThat(sandbox.accessTokenOf(SandboxHttp.UID)).isEqualTo("my-token");
        String token = http.confirmedToken("5");
        String body = SandboxHttp.transferPayload("5", SandboxHttp.RECIPIENT, SandboxHttp.UID);
        assertThat(http.transfer("sandbox-access-token-user-1", token, body).status()).isEqualTo(401);
        assertThat(http.transfer("my-token", token, body).status()).isEqualTo(201);

        SandboxHttp.Reply generated = http.post("/sandbox/users", "{\"uid\": \"user-2\"}");
        assertThat(generated.data().get("accessToken").asText()).isEqualTo(sandbox.accessTokenOf("user-2"))
                .isNotEqualTo("sandbox-access-token-user-2");
    }
}
