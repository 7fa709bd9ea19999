package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    private static final String CLIENT = "sandbox-client";
    private static final String SECRET = "sandbox-secret";

    private ShineSandbox sandbox;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0)
                .withExtraActions(java.util.Set.of("bank:cards:freeze")));
        http = new SandboxHttp(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private static String payload() {
        return SandboxHttp.transferPayload("234", SandboxHttp.RECIPIENT, SandboxHttp.UID);
    }

    private void assertError(SandboxHttp.Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().get("error").get("code").asText()).isEqualTo(code);
        assertThat(reply.json().get("error").get("message").asText()).isNotBlank();
    }

    @Test
    void createRefusesWrongClientCredentials() {
        assertError(http.create(SandboxHttp.createBody(SandboxConfig.TRANSFER_ACTION, SandboxHttp.UID, payload(),
                CLIENT, "wrong-secret")), 401, "UNAUTHORIZED");
        assertError(http.create(SandboxHttp.createBody(SandboxConfig.TRANSFER_ACTION, SandboxHttp.UID, payload(),
                "other-client", SECRET)), 401, "UNAUTHORIZED");
        assertError(http.create("{\"action\": \"bank:transfers:create\", \"uid\": \"u\", \"payload\": {}}"),
                401, "UNAUTHORIZED");
        assertThat(sandbox.actionRequests()).isEmpty();
    }

    @Test
    void pollRefusesWrongClientCredentials() {
        String id = http.createdId("1");
        assertError(http.poll(id, CLIENT, "wrong-secret"), 401, "UNAUTHORIZED");
        assertError(http.poll(id, null, null), 401, "UNAUTHORIZED");
    }

    @Test
    void unknownIdsAnswer404() {
        assertError(http.poll("no-such-id"), 404, "NOT_FOUND");
        assertError(http.post("/sandbox/action_requests/no-such-id/confirm", ""), 404, "NOT_FOUND");
        assertError(http.post("/sandbox/action_requests/no-such-id/reject", ""), 404, "NOT_FOUND");
        assertError(http.get("/v2/nothing/here"), 404, "NOT_FOUND");
        assertError(http.get("/sandbox/nothing"), 404, "NOT_FOUND");
    }

    @Test
    void wrongMethodAnswers405() {
        assertError(http.get(ShineApi.ACTION_REQUEST_PATH), 405, "METHOD_NOT_ALLOWED");
        assertError(http.get(ShineApi.TRANSFER_PATH), 405, "METHOD_NOT_ALLOWED");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "{\"action\": ",
        "[]",
        "{} {}",
        // missing fields
        "{\"client_id\": \"sandbox-client\", \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\","
                + " \"payload\": {\"amount\": 1, \"bankTransferRecipientId\": \"r\", \"uid\": \"user-1\"}}",
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"payload\": {\"amount\": 1,"
                + " \"bankTransferRecipientId\": \"r\", \"uid\": \"user-1\"}}",
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\"}",
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\", \"payload\": \"x\"}",
        // unknown action
        "{\"action\": \"bank:everything:delete\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\", \"payload\": {}}",
        // transfer payloads
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\", \"payload\": {\"amount\": 0,"
                + " \"bankTransferRecipientId\": \"r\", \"uid\": \"user-1\"}}",
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\", \"payload\": {\"amount\": -5,"
                + " \"bankTransferRecipientId\": \"r\", \"uid\": \"user-1\"}}",
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\", \"payload\": {\"amount\": \"234\","
                + " \"bankTransferRecipientId\": \"r\", \"uid\": \"user-1\"}}",
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\", \"payload\": {\"amount\": 1.234,"
                + " \"bankTransferRecipientId\": \"r\", \"uid\": \"user-1\"}}",
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\", \"payload\": {\"amount\": 1,"
                + " \"uid\": \"user-1\"}}",
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\", \"payload\": {\"amount\": 1,"
                + " \"bankTransferRecipientId\": \"r\"}}",
        "{\"action\": \"bank:transfers:create\", \"client_id\": \"sandbox-client\","
                + " \"client_secret\": \"sandbox-secret\", \"uid\": \"user-1\", \"payload\": {\"amount\": 1,"
                + " \"bankTransferRecipientId\": \"r\", \"uid\": \"user-2\"}}"
    })
    void createRefusesInvalidInput(String body) {
        SandboxHttp.Reply reply = http.create(body);
        assertError(reply, 400, "INVALID_REQUEST");
        assertThat(reply.body()).doesNotContain(SECRET);
        assertThat(sandbox.actionRequests()).isEmpty();
    }

    @Test
    void malformedJsonMessageDoesNotQuoteTheBody() {
        SandboxHttp.Reply reply = http.create("{\"client_secret\": \"sandbox-secret\", oops}");
        assertError(reply, 400, "INVALID_REQUEST");
        assertThat(reply.json().get("error").get("message").asText()).startsWith("malformed JSON body");
        assertThat(reply.body()).doesNotContain("sandbox-secret");
    }

    @Test
    void extraActionsAreAcceptedWithAnyObjectPayload() {
        SandboxHttp.Reply reply = http.create(SandboxHttp.createBody("bank:cards:freeze", SandboxHttp.UID,
                "{\"cardId\": \"c-1\"}", CLIENT, SECRET));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.data().get("action").asText()).isEqualTo("bank:cards:freeze");
    }

    @Test
    void transferRefusesBadAccessTokens() {
        String token = http.confirmedToken("234");
        String body = SandboxHttp.transferPayload("234", SandboxHttp.RECIPIENT, SandboxHttp.UID);
        assertError(http.transfer(null, token, body), 401, "UNAUTHORIZED");
        assertError(http.transfer("garbage", token, body), 401, "UNAUTHORIZED");
        assertError(http.transfer("sandbox-access-token-someone-else", token, body), 401, "UNAUTHORIZED");
        assertThat(sandbox.transfers()).isEmpty();
        assertThat(http.transfer(token, "234").status()).as("token still usable").isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "nope",
        "{\"bankTransferRecipientId\": \"recipient-1\", \"uid\": \"user-1\"}",
        "{\"amount\": 0, \"bankTransferRecipientId\": \"recipient-1\", \"uid\": \"user-1\"}",
        "{\"amount\": \"234\", \"bankTransferRecipientId\": \"recipient-1\", \"uid\": \"user-1\"}",
        "{\"amount\": 234, \"uid\": \"user-1\"}",
        "{\"amount\": 234, \"bankTransferRecipientId\": \"recipient-1\"}"
    })
    void transferRefusesInvalidBodies(String body) {
        String token = http.confirmedToken("234");
        assertError(http.transfer(sandbox.accessTokenOf(SandboxHttp.UID), token, body), 400, "INVALID_REQUEST");
        assertThat(sandbox.transfers()).isEmpty();
    }
}
