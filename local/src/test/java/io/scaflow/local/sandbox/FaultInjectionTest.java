package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.json.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultInjectionTest extends SandboxTestBase {


    private void inject(String json) {
        SandboxHttp.Reply reply = http.post("/sandbox/faults", json);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    @Test
    void error500OnCreateForTheNextNCallsThenNormal() {
        inject("{\"endpoint\": \"create\", \"kind\": \"ERROR_500\", \"count\": 2}");
        SandboxHttp.Reply first = http.createTransferRequest("1");
        assertThat(first.status()).isEqualTo(500);
        assertThat(first.json().get("error").get("code").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(http.createTransferRequest("1").status()).isEqualTo(500);
        assertThat(sandbox.actionRequests()).as("not processed").isEmpty();
        assertThat(http.createTransferRequest("1").status()).isEqualTo(200);
        assertThat(sandbox.actionRequests()).hasSize(1);
    }

    @Test
    void error503WithRetryAfterOnPoll() {
        String id = http.createdId("1");
        inject("{\"endpoint\": \"poll\", \"kind\": \"ERROR_503\", \"count\": 1, \"retryAfterSeconds\": 7}");
        SandboxHttp.Reply reply = http.poll(id);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("7");
        assertThat(http.poll(id).status()).isEqualTo(200);
    }

    @Test
    void rateLimitOnTransferIsNotProcessed() {
        String token = http.confirmedToken("234");
        inject("{\"endpoint\": \"transfer\", \"kind\": \"RATE_LIMIT\", \"count\": 1, \"retryAfterSeconds\": 3}");
        SandboxHttp.Reply limited = http.transfer(token, "234");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("3");
        assertThat(limited.json().get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(sandbox.transfers()).isEmpty();
        assertThat(http.transfer(token, "234").status()).as("the token was not spent").isEqualTo(201);
    }

    @Test
    void delayOnTransferExecutesItButTheAnswerComesLate() throws Exception {
        String token = http.confirmedToken("234");
        inject("{\"endpoint\": \"transfer\", \"kind\": \"DELAY\", \"count\": 1, \"delayMs\": 3000}");
        HttpRequest request = HttpRequest.newBuilder(http.uri(ShineApi.TRANSFER_PATH))
                .timeout(Duration.ofMillis(500))
                .header("Authorization", "Bearer " + sandbox.accessTokenOf(SandboxHttp.UID))
                .header("short-lived-token", token)
                .POST(HttpRequest.BodyPublishers.ofString(
                        SandboxHttp.transferPayload("234", SandboxHttp.RECIPIENT, SandboxHttp.UID)))
                .build();
        assertThatThrownBy(() -> http.client().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(sandbox.transfers()).as("reached Shine, executed").hasSize(1);
        assertThat(sandbox.calls()).last().satisfies(call -> {
            assertThat(call.status()).isEqualTo(201);
            assertThat(call.fault()).isEqualTo("DELAY");
        });
        SandboxHttp.Reply retry = http.transfer(token, "234");
        assertThat(retry.status()).as("the token was spent by the delayed call").isEqualTo(403);
    }

    @Test
    void delayedAnswerArrivesWhenTheClientWaits() {
        String id = http.createdId("1");
        sandbox.injectFault(Fault.delay(Endpoint.POLL, 1, 300));
        long start = System.nanoTime();
        SandboxHttp.Reply reply = http.poll(id);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void malformedTransferAnswerAfterExecutingIt() {
        String token = http.confirmedToken("234");
        inject("{\"endpoint\": \"transfer\", \"kind\": \"MALFORMED\"}");
        SandboxHttp.Reply reply = http.transfer(token, "234");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThatThrownBy(() -> Json.MAPPER.readTree(reply.body())).isInstanceOf(Exception.class);
        assertThat(sandbox.transfers()).hasSize(1);
    }

    @Test
    void malformedCreateAnswerStillCreatesTheRequest() {
        sandbox.injectFault(Fault.of(Endpoint.CREATE, Fault.Kind.MALFORMED, 1));
        SandboxHttp.Reply reply = http.createTransferRequest("1");
        assertThat(reply.status()).isEqualTo(200);
        assertThatThrownBy(() -> Json.MAPPER.readTree(reply.body())).isInstanceOf(Exception.class);
        assertThat(sandbox.actionRequests()).hasSize(1);
    }

    @Test
    void faultsQueueInOrderAndCanBeListedAndCleared() {
        sandbox.injectFault(Fault.of(Endpoint.CREATE, Fault.Kind.ERROR_500, 1));
        sandbox.injectFault(Fault.retryAfter(Endpoint.CREATE, Fault.Kind.RATE_LIMIT, 1, 2));
        assertThat(http.get("/sandbox/faults").data()).hasSize(2);
        assertThat(http.createTransferRequest("1").status()).isEqualTo(500);
        assertThat(http.createTransferRequest("1").status()).isEqualTo(429);
        assertThat(http.createTransferRequest("1").status()).isEqualTo(200);

        inject("{\"endpoint\": \"create\", \"kind\": \"ERROR_503\", \"count\": 5}");
        assertThat(http.delete("/sandbox/faults").status()).isEqualTo(204);
        assertThat(sandbox.faults()).isEmpty();
        assertThat(http.createTransferRequest("1").status()).isEqualTo(200);
    }

    @Test
    void faultsOnOneEndpointLeaveTheOthersAlone() {
        sandbox.injectFault(Fault.of(Endpoint.TRANSFER, Fault.Kind.ERROR_500, 3));
        String id = http.createdId("1");
        assertThat(http.poll(id).status()).isEqualTo(200);
        assertThat(sandbox.faults()).singleElement().satisfies(f -> assertThat(f.count()).isEqualTo(3));
    }

    @Test
    void faultInputIsValidated() {
        assertThat(http.post("/sandbox/faults", "{\"endpoint\": \"delete\", \"kind\": \"ERROR_500\"}").status())
                .isEqualTo(400);
        assertThat(http.post("/sandbox/faults", "{\"endpoint\": \"create\", \"kind\": \"EXPLODE\"}").status())
                .isEqualTo(400);
        assertThat(http.post("/sandbox/faults", "{\"endpoint\": \"create\", \"kind\": \"DELAY\", \"count\": 0}")
                .status()).isEqualTo(400);
        assertThat(http.post("/sandbox/faults", "{\"endpoint\": \"create\"}").status()).isEqualTo(400);
        SandboxHttp.Reply defaults = http.post("/sandbox/faults", "{\"endpoint\": \"poll\", \"kind\": \"DELAY\"}");
        assertThat(defaults.data().get("count").asInt()).isEqualTo(1);
        assertThat(defaults.data().get("delayMs").asLong()).isEqualTo(Fault.DEFAULT_DELAY_MS);
    }
}
