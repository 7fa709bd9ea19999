package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Timestamps;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedUserTest {

    private MutableClock clock;
    private ShineSandbox sandbox;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.parse("2019-11-28T17:08:17.455967000Z"));
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0).withClock(clock));
        http = new SandboxHttp(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void timestampsFollowTheClock() {
        JsonNode data = http.createTransferRequest("234").data();
        assertThat(data.get("createdAt").asText()).isEqualTo("2019-11-28T17:08:17.455967000Z");
        assertThat(data.get("expiresAt").asText()).isEqualTo("2019-11-28T17:09:17.455967000Z");
    }

    @Test
    void aUsersRequestsMayLiveLongerThanTheConfiguredLifetime() {
        sandbox.setActionRequestLifetime(SandboxHttp.UID, Duration.ofMinutes(3));
        assertThat(http.createTransferRequest("234").data().get("expiresAt").asText())
                .isEqualTo("2019-11-28T17:11:17.455967000Z");
        sandbox.setActionRequestLifetime(SandboxHttp.UID, null);
        assertThat(http.createTransferRequest("234").data().get("expiresAt").asText())
                .isEqualTo("2019-11-28T17:09:17.455967000Z");
    }

    @Test
    void expiryShowsOnlyThroughExpiresAt() {
        String id = http.createdId("234");
        clock.advance(Duration.ofMinutes(5));
        JsonNode data = http.poll(id).data();
        assertThat(data.get("status").asText()).isEqualTo("PENDING");
        assertThat(Timestamps.parse(data.get("expiresAt").asText())).isBefore(clock.instant());
    }

    @Test
    void cannotConfirmOrRejectAfterExpiresAt() {
        String id = http.createdId("234");
        clock.advance(Duration.ofSeconds(60));
        SandboxHttp.Reply confirm = http.post("/sandbox/action_requests/" + id + "/confirm", "");
        assertThat(confirm.status()).isEqualTo(409);
        assertThat(confirm.json().get("error").get("code").asText()).isEqualTo("ACTION_REQUEST_EXPIRED");
        assertThat(http.post("/sandbox/action_requests/" + id + "/reject", "").status()).isEqualTo(409);
        assertThatThrownBy(() -> sandbox.confirm(id)).isInstanceOf(SandboxException.class)
                .satisfies(e -> assertThat(((SandboxException) e).status()).isEqualTo(409));
        JsonNode polled = http.poll(id).data();
        assertThat(polled.get("status").asText()).isEqualTo("PENDING");
        assertThat(polled.has("token")).isFalse();
    }

    @Test
    void canConfirmJustBeforeExpiresAt() {
        String id = http.createdId("234");
        clock.advance(Duration.ofMillis(59_999));
        assertThat(http.post("/sandbox/action_requests/" + id + "/confirm", "").status()).isEqualTo(200);
    }

    @Test
    void actionRequestLifetimeIsConfigurable() {
        sandbox.close();
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0).withClock(clock)
                .withActionRequestLifetime(Duration.ofSeconds(180)));
        http = new SandboxHttp(sandbox);
        JsonNode data = http.createTransferRequest("1").data();
        assertThat(data.get("expiresAt").asText()).isEqualTo("2019-11-28T17:11:17.455967000Z");
    }

    @Test
    void rejectedRequestHasNoToken() {
        String id = http.createdId("234");
        clock.advance(Duration.ofSeconds(3));
        SandboxHttp.Reply rejected = http.post("/sandbox/action_requests/" + id + "/reject", "");
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.data().get("status").asText()).isEqualTo("REJECTED");
        JsonNode polled = http.poll(id).data();
        assertThat(polled.get("status").asText()).isEqualTo("REJECTED");
        assertThat(polled.has("token")).isFalse();
        assertThat(polled.get("updatedAt").asText()).isEqualTo("2019-11-28T17:08:20.455967000Z");
        SandboxHttp.Reply again = http.post("/sandbox/action_requests/" + id + "/confirm", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").get("code").asText()).isEqualTo("ACTION_REQUEST_NOT_PENDING");
    }

    @Test
    void confirmTwiceIsAConflict() {
        String id = http.createdId("234");
        assertThat(http.post("/sandbox/action_requests/" + id + "/confirm", "").status()).isEqualTo(200);
        assertThat(http.post("/sandbox/action_requests/" + id + "/confirm", "").status()).isEqualTo(409);
        assertThat(http.post("/sandbox/action_requests/" + id + "/reject", "").status()).isEqualTo(409);
    }

    @Test
    void confirmPolicyConfirmsAfterTheDelay() {
        SandboxHttp.Reply set = http.put("/sandbox/users/" + SandboxHttp.UID + "/policy",
                "{\"behaviour\": \"CONFIRM\", \"afterMs\": 2000}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.data().get("behaviour").asText()).isEqualTo("CONFIRM");
        String id = http.createdId("234");
        clock.advance(Duration.ofMillis(1999));
        assertThat(http.poll(id).data().get("status").asText()).isEqualTo("PENDING");
        clock.advance(Duration.ofMillis(1));
        JsonNode data = http.poll(id).data();
        assertThat(data.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(data.get("updatedAt").asText()).isEqualTo("2019-11-28T17:08:19.455967000Z");
        assertThat(http.transfer(data.get("token").asText(), "234").status()).isEqualTo(201);
    }

    @Test
    void confirmedByPolicyWhileNobodyLookedKeepsTheMomentOfConfirmation() {
        sandbox.setPolicy(SandboxHttp.UID, UserPolicy.confirmAfter(1000));
        String id = http.createdId("234");
        clock.advance(Duration.ofSeconds(61));
        JsonNode data = http.poll(id).data();
        assertThat(data.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(data.get("updatedAt").asText()).isEqualTo("2019-11-28T17:08:18.455967000Z");
        assertThat(http.transfer(data.get("token").asText(), "234").status())
                .as("the token lives 60 s from the confirmation").isEqualTo(403);
    }

    @Test
    void rejectPolicyRejectsAfterTheDelay() {
        http.put("/sandbox/users/" + SandboxHttp.UID + "/policy", "{\"behaviour\": \"REJECT\", \"afterMs\": 500}");
        String id = http.createdId("234");
        assertThat(http.poll(id).data().get("status").asText()).isEqualTo("PENDING");
        clock.advance(Duration.ofMillis(500));
        assertThat(http.poll(id).data().get("status").asText()).isEqualTo("REJECTED");
        assertThat(http.post("/sandbox/action_requests/" + id + "/confirm", "").status()).isEqualTo(409);
    }

    @Test
    void policyLaterThanTheLifetimeLetsTheRequestExpire() {
        sandbox.setPolicy(SandboxHttp.UID, UserPolicy.confirmAfter(60_000));
        String id = http.createdId("234");
        clock.advance(Duration.ofSeconds(90));
        assertThat(http.poll(id).data().get("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void policyAppliesPerUidAndToRequestsCreatedAfterIt() {
        String before = http.createdId("1");
        sandbox.setPolicy(SandboxHttp.UID, UserPolicy.confirmAfter(0));
        String after = http.createdId("1");
        String other = http.create(SandboxHttp.createBody(SandboxConfig.TRANSFER_ACTION, "user-2",
                SandboxHttp.transferPayload("1", "r", "user-2"), sandbox.clientId(), sandbox.clientSecret()))
                .data().get("authenticationActionRequestId").asText();
        assertThat(http.poll(before).data().get("status").asText()).isEqualTo("PENDING");
        assertThat(http.poll(after).data().get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(http.poll(other).data().get("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void manualAndNeverWaitForTheControlApi() {
        http.put("/sandbox/users/" + SandboxHttp.UID + "/policy", "{\"behaviour\": \"NEVER\"}");
        String never = http.createdId("1");
        http.put("/sandbox/users/" + SandboxHttp.UID + "/policy", "{\"behaviour\": \"MANUAL\", \"afterMs\": 5}");
        String manual = http.createdId("1");
        clock.advance(Duration.ofSeconds(30));
        assertThat(http.poll(never).data().get("status").asText()).isEqualTo("PENDING");
        assertThat(http.poll(manual).data().get("status").asText()).isEqualTo("PENDING");
        assertThat(http.post("/sandbox/action_requests/" + never + "/confirm", "").status()).isEqualTo(200);
        assertThat(http.post("/sandbox/action_requests/" + manual + "/reject", "").status()).isEqualTo(200);
    }

    @Test
    void policyInputIsValidated() {
        assertThat(http.put("/sandbox/users/u/policy", "{\"behaviour\": \"MAYBE\"}").status()).isEqualTo(400);
        assertThat(http.put("/sandbox/users/u/policy", "{\"behaviour\": \"CONFIRM\", \"afterMs\": -1}").status())
                .isEqualTo(400);
        assertThat(http.put("/sandbox/users/u/policy", "{}").status()).isEqualTo(400);
    }

    @Test
    void listsActionRequestsByStatusWithoutTokens() {
        String confirmed = http.createdId("1");
        String pending = http.createdId("2.50");
        sandbox.confirm(confirmed);
        SandboxHttp.Reply list = http.get("/sandbox/action_requests?status=PENDING");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.data()).singleElement().satisfies(item -> {
            assertThat(item.get("id").asText()).isEqualTo(pending);
            assertThat(item.get("action").asText()).isEqualTo(SandboxConfig.TRANSFER_ACTION);
            assertThat(item.get("uid").asText()).isEqualTo(SandboxHttp.UID);
            assertThat(item.get("payload").get("amount").toString()).isEqualTo("2.50");
            assertThat(item.get("status").asText()).isEqualTo("PENDING");
            assertThat(item.get("expired").asBoolean()).isFalse();
            assertThat(item.get("createdAt").asText()).isEqualTo("2019-11-28T17:08:17.455967000Z");
            assertThat(item.get("expiresAt").asText()).isEqualTo("2019-11-28T17:09:17.455967000Z");
        });
        SandboxHttp.Reply all = http.get("/sandbox/action_requests");
        assertThat(all.data()).hasSize(2);
        assertThat(all.body()).doesNotContain(sandbox.actionRequest(confirmed).orElseThrow().token())
                .doesNotContain("token");
        assertThat(http.get("/sandbox/action_requests?status=CONFIRMED").data()).singleElement()
                .satisfies(item -> assertThat(item.get("id").asText()).isEqualTo(confirmed));
        assertThat(http.get("/sandbox/action_requests?status=LOST").status()).isEqualTo(400);
        clock.advance(Duration.ofMinutes(2));
        assertThat(http.get("/sandbox/action_requests?status=PENDING").data().get(0).get("expired").asBoolean())
                .isTrue();
        assertThat(http.get("/sandbox/action_requests/" + pending).data().get("id").asText()).isEqualTo(pending);
    }
}
