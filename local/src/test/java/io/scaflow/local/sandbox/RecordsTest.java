package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordsTest {

    private ShineSandbox sandbox;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0)
                .withClientCredentials("my-client", "very-secret-value"));
        http = new SandboxHttp(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void recordsEveryShineCallWithoutQueryOrSecrets() {
        String id = http.createdId("234");
        http.poll(id);
        http.poll(id, "my-client", "wrong");
        sandbox.confirm(id);
        String token = http.poll(id).data().get("token").asText();
        http.transfer(token, "234");

        List<CallRecord> calls = sandbox.calls();
        assertThat(calls).extracting(CallRecord::endpoint).containsExactly(Endpoint.CREATE, Endpoint.POLL,
                Endpoint.POLL, Endpoint.POLL, Endpoint.TRANSFER);
        assertThat(calls).extracting(CallRecord::status).containsExactly(200, 200, 401, 200, 201);
        assertThat(calls.get(1).path()).isEqualTo("/v2/authentication/oauth2/action_request/" + id + "/poll");
        assertThat(calls.get(1).method()).isEqualTo("GET");
        assertThat(calls.get(4).method()).isEqualTo("POST");
        assertThat(calls).allSatisfy(call -> assertThat(call.time()).isNotNull());

        SandboxHttp.Reply reply = http.get("/sandbox/calls");
        assertThat(reply.data()).hasSize(5);
        assertThat(reply.data().get(0).fieldNames()).toIterable()
                .containsExactly("endpoint", "method", "path", "status", "time");
        assertThat(reply.data().get(0).get("endpoint").asText()).isEqualTo("create");
        assertThat(reply.body()).doesNotContain("very-secret-value").doesNotContain(token)
                .doesNotContain("client_secret").doesNotContain("?");
    }

    @Test
    void recordsTransfersWithTheirActionRequest() {
        String id = http.createdId("234.50");
        sandbox.confirm(id);
        String token = http.poll(id).data().get("token").asText();
        String bankTransferId = http.transfer(token, "234.50").data().get("bankTransferId").asText();

        SandboxHttp.Reply reply = http.get("/sandbox/transfers");
        assertThat(reply.data()).singleElement().satisfies(t -> {
            assertThat(t.get("bankTransferId").asText()).isEqualTo(bankTransferId);
            assertThat(t.get("actionRequestId").asText()).isEqualTo(id);
            assertThat(t.get("amount").toString()).isEqualTo("234.50");
            assertThat(t.get("bankTransferRecipientId").asText()).isEqualTo(SandboxHttp.RECIPIENT);
            assertThat(t.get("uid").asText()).isEqualTo(SandboxHttp.UID);
        });
        assertThat(reply.body()).doesNotContain(token).doesNotContain(sandbox.accessTokenOf(SandboxHttp.UID));
        assertThat(sandbox.transfers()).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualByComparingTo("234.5"));
    }

    @Test
    void errorMessagesNeverEchoSecretsOrTokens() {
        List<String> bodies = new ArrayList<>();
        String wrongSecret = "wrong-secret-1234";
        bodies.add(http.create(SandboxHttp.createBody(SandboxConfig.TRANSFER_ACTION, SandboxHttp.UID,
                SandboxHttp.transferPayload("1", "r", SandboxHttp.UID), "my-client", wrongSecret)).body());
        bodies.add(http.create("{\"client_id\": \"my-client\", \"client_secret\": \"very-secret-value\", "
                + "\"action\": \"bank:transfers:create\", \"uid\": 3}").body());
        bodies.add(http.create("{\"client_secret\": \"very-secret-value\" oops").body());
        String id = http.createdId("1");
        bodies.add(http.poll(id, "my-client", wrongSecret).body());
        bodies.add(http.poll("unknown", "my-client", "very-secret-value").body());
        sandbox.confirm(id);
        String token = http.poll(id).data().get("token").asText();
        String accessToken = sandbox.accessTokenOf(SandboxHttp.UID);
        bodies.add(http.transfer("bad-access-token-xyz", token,
                SandboxHttp.transferPayload("1", SandboxHttp.RECIPIENT, SandboxHttp.UID)).body());
        bodies.add(http.transfer(accessToken, token,
                SandboxHttp.transferPayload("2", SandboxHttp.RECIPIENT, SandboxHttp.UID)).body());
        bodies.add(http.transfer(accessToken, "made-up-short-lived-token",
                SandboxHttp.transferPayload("1", SandboxHttp.RECIPIENT, SandboxHttp.UID)).body());
        http.transfer(token, "1");
        bodies.add(http.transfer(token, "1").body());

        assertThat(bodies).hasSize(9).allSatisfy(body -> assertThat(body)
                .contains("\"error\"")
                .doesNotContain("very-secret-value", wrongSecret, token, accessToken, "bad-access-token-xyz",
                        "made-up-short-lived-token"));
        String records = http.get("/sandbox/calls").body() + http.get("/sandbox/transfers").body()
                + http.get("/sandbox/action_requests").body();
        assertThat(records).doesNotContain("very-secret-value", wrongSecret, token, accessToken);
    }

    @Test
    void resetForgetsEverything() {
        sandbox.setPolicy(SandboxHttp.UID, UserPolicy.rejectAfter(0));
        sandbox.registerUser("user-9", "token-9");
        sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.ERROR_500, 9));
        String id = http.createdId("1");
        assertThat(http.post("/sandbox/reset", "").status()).isEqualTo(204);
        assertThat(sandbox.actionRequests()).isEmpty();
        assertThat(sandbox.calls()).isEmpty();
        assertThat(sandbox.transfers()).isEmpty();
        assertThat(sandbox.faults()).isEmpty();
        assertThat(sandbox.accessTokenOf("user-9")).isEqualTo("sandbox-access-token-user-9");
        assertThat(http.poll(id).status()).isEqualTo(404);
        String fresh = http.createdId("1");
        assertThat(http.poll(fresh).data().get("status").asText()).as("policy forgotten").isEqualTo("PENDING");
        assertThat(sandbox.clientSecret()).as("config kept").isEqualTo("very-secret-value");
    }
}
