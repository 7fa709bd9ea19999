package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.api.ApiHandler;
import io.scaflow.config.Env;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.flow.FlowServices;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The public API's handler, given API Gateway proxy events, on the local stack: validation, idempotency
 * (sequential and concurrent), the status document, cancel, and cancel racing the execution.
 */
class ApiFlowTest {

    private static final String CALLER = "arn:aws:iam::123456789012:user/test";
    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast();
    private static final E2eDriver driver = STACK.driver();
    private static FlowServices services;
    private static ApiHandler api;

    @BeforeAll
    static void start() {
        services = servicesFor(driver.stack().stateMachineArn());
        api = new ApiHandler(services);
    }

    static Stream<Arguments> invalidTransfers() {
        return Stream.of(
                Arguments.of("{\"amount\": 10, \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}", "uid"),
                Arguments.of(transfer("bad uid!", "10", "r-1"), "uid"),
                Arguments.of(transfer("u-1", "0", "r-1"), "amount"),
                Arguments.of(transfer("u-1", "-5", "r-1"), "amount"),
                Arguments.of(transfer("u-1", "12.345", "r-1"), "amount"),
                Arguments.of(transfer("u-1", "100000.01", "r-1"), "amount"),
                Arguments.of("{\"uid\": \"u-1\", \"amount\": \"10\", \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}", "amount"),
                Arguments.of(transfer("u-1", "10", "not a recipient/id"), "bankTransferRecipientId"),
                Arguments.of("{\"uid\": \"u-1\", \"amount\": 10, \"bankTransferRecipientId\": \"r-1\"}", "accessToken"));
    }

    @ParameterizedTest
    @MethodSource("invalidTransfers")
    void refusesAnInvalidTransferNamingTheField(String body, String field) {
        JsonNode answer = call("POST", "/v1/transfers", null, body, Map.of());

        assertProblem(answer, 400, "invalid-input");
        assertThat(body(answer).get("errors")).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo(field));
    }

    @Test
    void refusesAnUnknownActionAndAMissingPayload() {
        JsonNode answer = call("POST", "/v1/actions", null,
                "{\"action\": \"bank:teleport\", \"uid\": \"u-1\", \"accessToken\": \"t\"}", Map.of());

        assertProblem(answer, 400, "invalid-input");
        assertThat(body(answer).get("errors")).extracting(e -> e.get("field").asText()).containsExactly("action", "payload");
        assertThat(body(answer).get("detail").asText()).contains("bank:transfers:create").doesNotContain("bank:teleport");
    }

    @Test
    void refusesDuplicateKeysTrailingDataAndUnknownPayloadFields() {
        assertProblem(call("POST", "/v1/transfers", null,
                "{\"uid\": \"u-1\", \"amount\": 7, \"amount\": 9, \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}",
                Map.of()), 400, "malformed-json");
        assertProblem(call("POST", "/v1/transfers", null, transfer("u-1", "7", "r-1") + " trailing", Map.of()),
                400, "malformed-json");
        JsonNode extra = call("POST", "/v1/actions", null, "{\"action\": \"bank:transfers:create\", \"uid\": \"u-1\", "
                + "\"accessToken\": \"t\", \"payload\": {\"amount\": 7, \"bankTransferRecipientId\": \"r-1\", "
                + "\"iban\": \"FR76\"}}", Map.of());
        assertProblem(extra, 400, "invalid-input");
        assertThat(body(extra).get("errors")).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo("payload.iban"));
    }

    @Test
    void refusesMalformedOversizedOrNonObjectBodies() {
        assertProblem(call("POST", "/v1/transfers", null, "{\"uid\": ", Map.of()), 400, "malformed-json");
        assertProblem(call("POST", "/v1/transfers", null, "[1, 2]", Map.of()), 400, "malformed-json");
        assertProblem(call("POST", "/v1/transfers", null, "", Map.of()), 400, "malformed-json");
        String huge = "{\"uid\": \"" + "x".repeat(20_000) + "\"}";
        assertProblem(call("POST", "/v1/transfers", null, huge, Map.of()), 413, "body-too-large");
        assertProblem(call("POST", "/v1/transfers", null, transfer("u-1", "10", "r-1"),
                Map.of("Idempotency-Key", "x".repeat(256))), 400, "invalid-input");
    }

    @Test
    void answersUnknownIdsAndMethodsClearly() {
        assertProblem(call("GET", "/v1/actions/{id}", "no-such-flow", null, Map.of()), 404, "not-found");
        assertProblem(call("GET", "/v1/actions/{id}", "../../etc", null, Map.of()), 404, "not-found");
        assertProblem(call("DELETE", "/v1/actions/{id}", "no-such-flow", null, Map.of()), 404, "not-found");
        JsonNode notAllowed = call("PUT", "/v1/actions", null, "{}", Map.of());
        assertProblem(notAllowed, 405, "method-not-allowed");
        assertThat(notAllowed.get("headers").get("Allow").asText()).isEqualTo("POST");
    }

    @Test
    void aTransferRunsToSucceededAndItsDocumentShowsShinesResultButNoToken() {
        String uid = driver.newUser("api");
        driver.sandbox().setPolicy(uid, UserPolicy.confirmAfter(300));
        String token = driver.sandbox().accessTokenOf(uid);

        JsonNode answer = call("POST", "/v1/transfers", null, transferWithToken(uid, "234.50", "r-9", token), Map.of());
        assertThat(answer.get("statusCode").asInt()).isEqualTo(202);
        String id = body(answer).get("id").asText();
        assertThat(answer.get("headers").get("Location").asText()).isEqualTo("/v1/actions/" + id);
        assertThat(body(answer).get("payload").toString()).contains("234.50");

        driver.awaitFlow(id, f -> f.status() == FlowStatus.SUCCEEDED, Duration.ofSeconds(20));
        JsonNode status = call("GET", "/v1/actions/{id}", id, null, Map.of());
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
        String id = body(call("POST", "/v1/transfers", null,
                transferWithToken(uid, "4", "r-6", driver.sandbox().accessTokenOf(uid)), Map.of())).get("id").asText();
        ObjectNode get = sample("api-get-action.json");
        ((ObjectNode) get.get("pathParameters")).put("id", id);
        ((ObjectNode) get.get("requestContext").get("identity")).put("userArn", "arn:aws:iam::123456789012:user/other");

        assertProblem(invoke(get), 404, "not-found");
        get.put("httpMethod", "DELETE");
        assertProblem(invoke(get), 404, "not-found");
        assertThat(body(call("GET", "/v1/actions/{id}", id, null, Map.of())).get("status").asText()).isNotEqualTo("CANCELLED");
    }

    @Test
    void theSameKeyAndBodyGiveTheSameFlowAndAnotherBodyIsRefused() {
        String uid = driver.newUser("idem");
        String body = transferWithToken(uid, "10", "r-1", driver.sandbox().accessTokenOf(uid));
        Map<String, String> key = Map.of("Idempotency-Key", "order-" + UUID.randomUUID());

        String first = body(call("POST", "/v1/transfers", null, body, key)).get("id").asText();
        JsonNode again = call("POST", "/v1/transfers", null, body, key);
        assertThat(again.get("statusCode").asInt()).isEqualTo(202);
        assertThat(body(again).get("id").asText()).isEqualTo(first);

        JsonNode other = call("POST", "/v1/transfers", null,
                transferWithToken(uid, "11", "r-1", driver.sandbox().accessTokenOf(uid)), key);
        assertProblem(other, 409, "idempotency-key-reused");
        assertThat(executionsNamed(first)).isEqualTo(1);
        assertThat(driver.actionRequestsOf(uid)).hasSizeLessThanOrEqualTo(1);

        String sameByValue = "{\"accessToken\": \"refreshed-token\", \"bankTransferRecipientId\": \"r-1\", "
                + "\"amount\": 10.00, \"uid\": \"" + uid + "\"}";
        JsonNode refreshed = call("POST", "/v1/transfers", null, sameByValue, key);
        assertThat(refreshed.get("statusCode").asInt()).isEqualTo(202);
        assertThat(body(refreshed).get("id").asText()).isEqualTo(first);
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneFlowAndOneTransfer() throws Exception {
        String uid = driver.newUser("race");
        driver.sandbox().setPolicy(uid, UserPolicy.confirmAfter(200));
        String body = transferWithToken(uid, "42", "r-2", driver.sandbox().accessTokenOf(uid));
        Map<String, String> key = Map.of("idempotency-key", "concurrent-" + UUID.randomUUID());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                await(go);
                return call("POST", "/v1/transfers", null, body, key);
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
        driver.awaitFlow(id, f -> f.status() == FlowStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(executionsNamed(id)).isEqualTo(1);
        assertThat(driver.transfersOf(uid)).hasSize(1);
    }

    @Test
    void aRetryRestartsAFlowWhoseExecutionNeverStarted() {
        String uid = driver.newUser("restart");
        driver.sandbox().setPolicy(uid, UserPolicy.confirmAfter(200));
        String body = transferWithToken(uid, "7", "r-3", driver.sandbox().accessTokenOf(uid));
        Map<String, String> key = Map.of("Idempotency-Key", "restart-" + UUID.randomUUID());
        ApiHandler broken = new ApiHandler(servicesFor(driver.stack().stateMachineArn() + "-missing"));

        JsonNode failed = call(broken, "POST", "/v1/transfers", null, body, key);
        assertProblem(failed, 503, "start-failed");
        assertThat(body(failed).get("detail").asText()).contains("same Idempotency-Key");

        JsonNode retried = call("POST", "/v1/transfers", null, body, key);
        assertThat(retried.get("statusCode").asInt()).isEqualTo(202);
        String id = body(retried).get("id").asText();
        driver.awaitFlow(id, f -> f.status() == FlowStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(driver.transfersOf(uid)).hasSize(1);
    }

    @Test
    void cancelStopsAWaitingFlowAndIsRefusedOnceEnded() {
        String uid = driver.newUser("cancel");
        String id = body(call("POST", "/v1/transfers", null,
                transferWithToken(uid, "5", "r-4", driver.sandbox().accessTokenOf(uid)), Map.of())).get("id").asText();
        driver.awaitFlow(id, f -> f.status() == FlowStatus.AWAITING_CONFIRMATION, Duration.ofSeconds(10));

        JsonNode cancelled = call("DELETE", "/v1/actions/{id}", id, null, Map.of());
        assertThat(cancelled.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(cancelled).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(driver.flow(id).accessToken()).isEmpty();
        String executionArn = driver.stack().stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + id;
        assertThat(driver.awaitEnd(executionArn, Duration.ofSeconds(10)).status()).isEqualTo(ExecutionStatus.ABORTED);

        assertProblem(call("DELETE", "/v1/actions/{id}", id, null, Map.of()), 409, "not-cancellable");
        assertThat(driver.transfersOf(uid)).isEmpty();
    }

    @Test
    void cancelRacingTheExecutionLetsExactlyOneWin() throws Exception {
        for (int round = 0; round < 10; round++) {
            String uid = driver.newUser("duel");
            String id = confirmedFlowOutsideTheStateMachine(uid);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<JsonNode> cancel = CompletableFuture.supplyAsync(() -> {
                await(go);
                return call("DELETE", "/v1/actions/{id}", id, null, Map.of());
            });
            CompletableFuture<Void> execute = CompletableFuture.runAsync(() -> {
                await(go);
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
        JsonNode started = invoke(post);
        assertThat(started.get("statusCode").asInt()).isEqualTo(202);
        String id = body(started).get("id").asText();
        JsonNode action = invoke(sample("api-post-action.json"));
        assertThat(action.get("statusCode").asInt()).isEqualTo(202);
        assertThat(body(action).get("status").asText()).isIn("PENDING", "AWAITING_CONFIRMATION");

        ObjectNode get = sample("api-get-action.json");
        ((ObjectNode) get.get("pathParameters")).put("id", id);
        assertThat(body(invoke(get)).get("id").asText()).isEqualTo(id);
        ObjectNode cancel = sample("api-cancel-action.json");
        ((ObjectNode) cancel.get("pathParameters")).put("id", id);
        assertThat(body(invoke(cancel)).get("status").asText()).isEqualTo("CANCELLED");
    }

    private static ObjectNode sample(String file) throws IOException {
        return (ObjectNode) Json.MAPPER.readTree(java.nio.file.Files.readString(
                io.scaflow.local.emulator.RepoRoot.find().resolve("events").resolve(file)));
    }

    private static JsonNode invoke(JsonNode event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        api.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    /** A CONFIRMED flow with a real short-lived token, whose steps the test runs itself (no execution). */
    private static String confirmedFlowOutsideTheStateMachine(String uid) {
        String id = "duel-" + UUID.randomUUID();
        var sandbox = driver.sandbox();
        var shine = services.shine();
        var payload = Json.MAPPER.createObjectNode().put("amount", 3).put("bankTransferRecipientId", "r-5").put("uid", uid);
        services.store().create(Flow.pending(id, "bank:transfers:create", uid, payload,
                Secret.of(sandbox.accessTokenOf(uid)), Instant.now()).withRequest(CALLER, null, null));
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
            new ExecuteActionHandler(services).handleRequest(new ByteArrayInputStream(
                    ("{\"flowId\": \"" + flowId + "\"}").getBytes()), new ByteArrayOutputStream(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FlowServices servicesFor(String stateMachineArn) {
        Env env = driver.stack().lambda().harnessEnvironment("CreateActionRequestFunction").with(Map.of(
                "STATE_MACHINE_ARN", stateMachineArn,
                "AWS_ENDPOINT_URL_SFN", driver.stack().stepFunctions().endpoint().toString()));
        return FlowServices.create(env, Clock.systemUTC());
    }

    private static long executionsNamed(String name) {
        return driver.stack().sfn()
                .listExecutions(b -> b.stateMachineArn(driver.stack().stateMachineArn()).maxResults(1000))
                .executions().stream().filter(e -> e.name().equals(name)).count();
    }

    private static JsonNode call(String method, String resource, String id, String body, Map<String, String> headers) {
        return call(api, method, resource, id, body, headers);
    }

    /** Sends a REST proxy event (payload 1.0) as API Gateway builds it; returns the proxy result. */
    private static JsonNode call(ApiHandler handler, String method, String resource, String id, String body,
                                 Map<String, String> headers) {
        ObjectNode event = Json.MAPPER.createObjectNode()
                .put("httpMethod", method)
                .put("resource", resource)
                .put("path", id == null ? resource : resource.replace("{id}", id));
        if (id != null) {
            event.putObject("pathParameters").put("id", id);
        }
        ObjectNode headerNode = event.putObject("headers").put("Content-Type", "application/json");
        headers.forEach(headerNode::put);
        if (body != null) {
            event.put("body", body);
        }
        event.putObject("requestContext").putObject("identity").put("userArn", CALLER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode body(JsonNode answer) {
        try {
            return Json.MAPPER.readTree(answer.get("body").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertProblem(JsonNode answer, int status, String slug) {
        assertThat(answer.get("statusCode").asInt()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.get("headers").get("Content-Type").asText()).isEqualTo("application/problem+json");
        JsonNode problem = body(answer);
        assertThat(problem.get("type").asText()).endsWith("/" + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static String transfer(String uid, String amount, String recipient) {
        return transferWithToken(uid, amount, recipient, "token-1");
    }

    private static String transferWithToken(String uid, String amount, String recipient, String token) {
        return "{\"uid\": \"" + uid + "\", \"amount\": " + amount + ", \"bankTransferRecipientId\": \"" + recipient
                + "\", \"accessToken\": \"" + token + "\"}";
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
