package io.scaflow.local.e2e;

import static io.scaflow.local.e2e.ApiProxyClient.assertProblem;
import static io.scaflow.local.e2e.ApiProxyClient.body;
import static io.scaflow.local.e2e.ApiProxyClient.sample;
import static io.scaflow.local.e2e.ApiProxyClient.transferWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.core.Secret;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The public API's handler, given API Gateway proxy events, on the local stack: a transfer run to SUCCEEDED and its
 * status document (Shine's result, no token), a flow hidden from another caller, cancel of a waiting flow and cancel
 * racing the execution (exactly one wins), and the sample events of events/ as {@code sam local invoke} sends them.
 */
class ApiStatusAndCancelTest {

    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast();
    private static final E2eDriver driver = STACK.driver();
    private static final ApiProxyClient api = new ApiProxyClient(driver);

    @Test
    void aTransferRunsToSucceededAndItsDocumentShowsShinesResultButNoToken() {
        String uid = driver.newUser("api", UserPolicy.confirmAfter(300));
        String token = driver.sandbox().accessTokenOf(uid);

        JsonNode answer = api.call("POST", "/v1/transfers", null, transferWithToken(uid, "234.50", "r-9", token), Map.of());
        assertThat(answer.get("statusCode").asInt()).isEqualTo(202);
        String id = body(answer).get("id").asText();
        assertThat(answer.get("headers").get("Location").asText()).isEqualTo("/v1/actions/" + id);
        assertThat(body(answer).get("payload").toString()).contains("234.50");

        driver.awaitFlow(id, FlowStatus.SUCCEEDED, Duration.ofSeconds(20));
        JsonNode status = api.call("GET", "/v1/actions/{id}", id, null, Map.of());
        JsonNode doc = body(status);
        assertThat(status.get("statusCode").asInt()).isEqualTo(200);
        assertThat(doc.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(doc.get("result").get("bankTransferId").asText()).isNotBlank();
        assertThat(doc.get("history")).extracting(h -> h.get("status").asText())
                .containsExactly("PENDING", "AWAITING_CONFIRMATION", "CONFIRMED", "EXECUTING", "SUCCEEDED");
        assertThat(doc.get("reminder").get("due").asBoolean()).isFalse();
        assertThat(doc.get("ended").asBoolean()).isTrue();
        assertThat(status.toString()).doesNotContain(token);
        assertThat(driver.transfersOf(uid)).hasSize(1);
    }

    @Test
    void anotherCallerCannotSeeOrCancelAFlow() throws IOException {
        String uid = driver.newUser("owner");
        String id = body(api.call("POST", "/v1/transfers", null,
                transferWithToken(uid, "4", "r-6", driver.sandbox().accessTokenOf(uid)), Map.of())).get("id").asText();
        ObjectNode get = sample("api-get-action.json");
        ((ObjectNode) get.get("pathParameters")).put("id", id);
        ((ObjectNode) get.get("requestContext").get("identity")).put("userArn", "arn:aws:iam::123456789012:user/other");

        assertProblem(api.invoke(get), 404, "not-found");
        get.put("httpMethod", "DELETE");
        assertProblem(api.invoke(get), 404, "not-found");
        assertThat(body(api.call("GET", "/v1/actions/{id}", id, null, Map.of())).get("status").asText()).isNotEqualTo("CANCELLED");
    }

    @Test
    void cancelStopsAWaitingFlowAndIsRefusedOnceEnded() {
        String uid = driver.newUser("cancel");
        String id = body(api.call("POST", "/v1/transfers", null,
                transferWithToken(uid, "5", "r-4", driver.sandbox().accessTokenOf(uid)), Map.of())).get("id").asText();
        driver.awaitFlow(id, FlowStatus.AWAITING_CONFIRMATION, Duration.ofSeconds(10));

        JsonNode cancelled = api.call("DELETE", "/v1/actions/{id}", id, null, Map.of());
        assertThat(cancelled.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(cancelled).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(driver.flow(id).accessToken()).isEmpty();
        String executionArn = driver.executionArn(id);
        assertThat(driver.awaitEnd(executionArn, Duration.ofSeconds(10)).status()).isEqualTo(ExecutionStatus.ABORTED);

        assertProblem(api.call("DELETE", "/v1/actions/{id}", id, null, Map.of()), 409, "not-cancellable");
        assertThat(driver.transfersOf(uid)).isEmpty();
    }

    @Test
    void cancelRacingTheExecutionLetsExactlyOneWin() throws Exception {
        for (int round = 0; round < 10; round++) {
            String uid = driver.newUser("duel");
            String id = confirmedFlowOutsideTheStateMachine(uid);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<JsonNode> cancel = CompletableFuture.supplyAsync(() -> {
                E2eDriver.await(go);
                return api.call("DELETE", "/v1/actions/{id}", id, null, Map.of());
            });
            CompletableFuture<Void> execute = CompletableFuture.runAsync(() -> {
                E2eDriver.await(go);
                invokeExecute(id);
            });
            go.countDown();
            int cancelStatus = cancel.get().get("statusCode").asInt();
            execute.get();

            Flow flow = driver.flow(id);
            if (cancelStatus == 200) {
                assertThat(flow.status()).isEqualTo(FlowStatus.CANCELLED);
                assertThat(driver.transfersOf(uid)).isEmpty();
            } else {
                assertThat(cancelStatus).isEqualTo(409);
                assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
                assertThat(driver.transfersOf(uid)).hasSize(1);
            }
        }
    }

    @Test
    void theSampleEventsOfEventsFolderRunAsSamLocalInvokeWouldSendThem() throws IOException {
        ObjectNode post = sample("api-post-transfer.json");
        ((ObjectNode) post.get("headers")).put("Idempotency-Key", "sample-" + UUID.randomUUID());
        JsonNode started = api.invoke(post);
        assertThat(started.get("statusCode").asInt()).isEqualTo(202);
        String id = body(started).get("id").asText();
        JsonNode action = api.invoke(sample("api-post-action.json"));
        assertThat(action.get("statusCode").asInt()).isEqualTo(202);
        assertThat(body(action).get("status").asText()).isIn("PENDING", "AWAITING_CONFIRMATION");

        ObjectNode get = sample("api-get-action.json");
        ((ObjectNode) get.get("pathParameters")).put("id", id);
        assertThat(body(api.invoke(get)).get("id").asText()).isEqualTo(id);
        ObjectNode cancel = sample("api-cancel-action.json");
        ((ObjectNode) cancel.get("pathParameters")).put("id", id);
        assertThat(body(api.invoke(cancel)).get("status").asText()).isEqualTo("CANCELLED");
    }

    /** A CONFIRMED flow with a real short-lived token, whose steps the test runs itself (no execution). */
    private static String confirmedFlowOutsideTheStateMachine(String uid) {
        String id = "duel-" + UUID.randomUUID();
        var sandbox = driver.sandbox();
        var services = api.services();
        var shine = services.shine();
        var payload = Json.MAPPER.createObjectNode().put("amount", 3).put("bankTransferRecipientId", "r-5").put("uid", uid);
        services.store().create(Flow.pending(id, "bank:transfers:create", uid, payload,
                Secret.of(sandbox.accessTokenOf(uid)), Instant.now()).withRequest(ApiProxyClient.CALLER, null, null));
        var request = shine.createActionRequest("bank:transfers:create", uid, payload);
        sandbox.confirm(request.id());
        Secret token = shine.poll(request.id()).token().orElseThrow();
        services.store().change(id, FlowStatus.PENDING, FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "test")
                .actionRequest(request.id(), 1, Instant.now(), request.expiresAt()));
        services.store().change(id, FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.CONFIRMED, "test")
                .confirmed(Instant.now(), token));
        return id;
    }

    private static void invokeExecute(String flowId) {
        try {
            new ExecuteActionHandler(api.services()).handleRequest(new ByteArrayInputStream(
                    ("{\"flowId\": \"" + flowId + "\"}").getBytes()), new ByteArrayOutputStream(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
