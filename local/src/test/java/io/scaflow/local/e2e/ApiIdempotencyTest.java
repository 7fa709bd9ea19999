package io.scaflow.local.e2e;

import static io.scaflow.local.e2e.ApiProxyClient.assertProblem;
import static io.scaflow.local.e2e.ApiProxyClient.body;
import static io.scaflow.local.e2e.ApiProxyClient.transferWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.api.ApiHandler;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.store.FlowStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The public API's Idempotency-Key, given API Gateway proxy events, on the local stack: the same key and body give
 * the same flow (sequentially and from concurrent requests, one execution and one transfer), another body is
 * refused, and a retry restarts a flow whose execution never started.
 */
class ApiIdempotencyTest {

    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast();
    private static final E2eDriver driver = STACK.driver();
    private static final ApiProxyClient api = new ApiProxyClient(driver);

    @Test
    void theSameKeyAndBodyGiveTheSameFlowAndAnotherBodyIsRefused() {
        String uid = driver.newUser("idem");
        String body = transferWithToken(uid, "10", "r-1", driver.sandbox().accessTokenOf(uid));
        Map<String, String> key = Map.of("Idempotency-Key", "order-" + UUID.randomUUID());

        String first = body(api.call("POST", "/v1/transfers", null, body, key)).get("id").asText();
        JsonNode again = api.call("POST", "/v1/transfers", null, body, key);
        assertThat(again.get("statusCode").asInt()).isEqualTo(202);
        assertThat(body(again).get("id").asText()).isEqualTo(first);

        JsonNode other = api.call("POST", "/v1/transfers", null,
                transferWithToken(uid, "11", "r-1", driver.sandbox().accessTokenOf(uid)), key);
        assertProblem(other, 409, "idempotency-key-reused");
        assertThat(driver.executionsNamed(first)).isEqualTo(1);
        assertThat(driver.actionRequestsOf(uid)).hasSizeLessThanOrEqualTo(1);

        String sameByValue = "{\"accessToken\": \"refreshed-token\", \"bankTransferRecipientId\": \"r-1\", "
                + "\"amount\": 10.00, \"uid\": \"" + uid + "\"}";
        JsonNode refreshed = api.call("POST", "/v1/transfers", null, sameByValue, key);
        assertThat(refreshed.get("statusCode").asInt()).isEqualTo(202);
        assertThat(body(refreshed).get("id").asText()).isEqualTo(first);
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneFlowAndOneTransfer() throws Exception {
        String uid = driver.newUser("race", UserPolicy.confirmAfter(200));
        String body = transferWithToken(uid, "42", "r-2", driver.sandbox().accessTokenOf(uid));
        Map<String, String> key = Map.of("idempotency-key", "concurrent-" + UUID.randomUUID());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                E2eDriver.await(go);
                return api.call("POST", "/v1/transfers", null, body, key);
            }));
        }
        go.countDown();
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<JsonNode> call : calls) {
            JsonNode answer = call.get();
            assertThat(answer.get("statusCode").asInt()).isEqualTo(202);
            ids.add(body(answer).get("id").asText());
        }
        assertThat(ids).hasSize(1);
        String id = ids.iterator().next();
        driver.awaitFlow(id, FlowStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(driver.executionsNamed(id)).isEqualTo(1);
        assertThat(driver.transfersOf(uid)).hasSize(1);
    }

    @Test
    void aRetryRestartsAFlowWhoseExecutionNeverStarted() {
        String uid = driver.newUser("restart", UserPolicy.confirmAfter(200));
        String body = transferWithToken(uid, "7", "r-3", driver.sandbox().accessTokenOf(uid));
        Map<String, String> key = Map.of("Idempotency-Key", "restart-" + UUID.randomUUID());
        ApiHandler broken = new ApiHandler(api.servicesFor(driver.stack().stateMachineArn() + "-missing"));

        JsonNode failed = ApiProxyClient.call(broken, "POST", "/v1/transfers", null, body, key);
        assertProblem(failed, 503, "start-failed");
        assertThat(body(failed).get("detail").asText()).contains("same Idempotency-Key");

        JsonNode retried = api.call("POST", "/v1/transfers", null, body, key);
        assertThat(retried.get("statusCode").asInt()).isEqualTo(202);
        String id = body(retried).get("id").asText();
        driver.awaitFlow(id, FlowStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(driver.transfersOf(uid)).hasSize(1);
    }
}
