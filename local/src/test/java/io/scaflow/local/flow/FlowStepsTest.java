package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.flow.RecordFailureHandler;
import io.scaflow.input.InvalidInputException;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.StatusChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The four step handlers against moto and the Shine sandbox: every status transition and the money rules. */
class FlowStepsTest {

    private static final String UID = "user-42";

    private FlowHarness harness;
    private final List<JsonNode> outputs = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();

    @AfterEach
    void noSecretLeft() {
        String everything = outputs + harness.logs();
        for (String secret : secrets) {
            assertThat(everything).doesNotContain(secret);
        }
        harness.close();
    }

    @Test
    void confirmedFlowRunsTheTransferOnceAndForgetsItsTokens() {
        start(Map.of());
        String flowId = recordFlow("234.50");

        JsonNode created = create(flowId);
        assertThat(created.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(created.get("attempt").asInt()).isEqualTo(1);
        assertThat(created.get("waitSeconds").asInt()).isEqualTo(2);
        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");

        confirmAtShine(flowId);
        JsonNode polled = poll(flowId, 1);
        assertThat(polled.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(polled.get("pollCount").asInt()).isEqualTo(2);
        Flow confirmed = flow(flowId);
        assertThat(confirmed.shortLivedToken()).isPresent();
        secrets.add(confirmed.shortLivedToken().get().reveal());

        JsonNode executed = execute(flowId);
        assertThat(executed.get("status").asText()).isEqualTo("SUCCEEDED");
        Flow done = flow(flowId);
        assertThat(done.result().get("bankTransferId").asText()).isNotBlank();
        assertThat(done.confirmedAt()).isNotNull();
        assertThat(done.executedAt()).isNotNull();
        assertThat(done.accessToken()).isEmpty();
        assertThat(done.shortLivedToken()).isEmpty();
        assertThat(done.history()).extracting(StatusChange::status).containsExactly(FlowStatus.PENDING,
                FlowStatus.AWAITING_CONFIRMATION, FlowStatus.CONFIRMED, FlowStatus.EXECUTING, FlowStatus.SUCCEEDED);
        assertThat(harness.sandbox.transfers()).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualByComparingTo("234.50"));
        assertThat(harness.dynamo.getItem(b -> b.tableName(harness.table)
                .key(Map.of("flowId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(flowId))))
                .item()).containsKey("ttl").doesNotContainKeys("accessToken", "shortLivedToken");
    }

    @Test
    void rejectedFlowEndsWithoutTransfer() {
        start(Map.of());
        String flowId = recordFlow("10");
        create(flowId);
        harness.sandbox.reject(flow(flowId).actionRequestId());

        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("REJECTED");
        assertThat(execute(flowId).get("status").asText()).isEqualTo("REJECTED");
        assertThat(flow(flowId).accessToken()).isEmpty();
        assertThat(harness.sandbox.transfers()).isEmpty();
    }

    @Test
    void expiredRequestIsRenewedWhileAttemptsRemain() {
        start(Map.of("MAX_ATTEMPTS", "2"));
        String flowId = recordFlow("10");
        create(flowId);
        String firstRequest = flow(flowId).actionRequestId();

        harness.advance(Duration.ofSeconds(61));
        JsonNode expired = poll(flowId, 5);
        assertThat(expired.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(expired.get("renew").asBoolean()).isTrue();

        JsonNode renewed = create(flowId);
        assertThat(renewed.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(renewed.get("attempt").asInt()).isEqualTo(2);
        assertThat(flow(flowId).actionRequestId()).isNotEqualTo(firstRequest);

        harness.advance(Duration.ofSeconds(61));
        JsonNode last = poll(flowId, 0);
        assertThat(last.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(last.get("renew").asBoolean()).isFalse();
        assertThat(flow(flowId).accessToken()).isEmpty();
        assertThat(create(flowId).get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void reminderFallsDueAfterTheConfiguredDelay() {
        start(Map.of("REMINDER_DELAY_SECONDS", "10"));
        String flowId = recordFlow("10");
        create(flowId);

        harness.advance(Duration.ofSeconds(9));
        poll(flowId, 0);
        assertThat(flow(flowId).reminderDue()).isFalse();

        harness.advance(Duration.ofSeconds(1));
        assertThat(poll(flowId, 1).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(flow(flowId).reminderDue()).isTrue();
    }

    @Test
    void rateLimitedPollWaitsAsLongAsShineAsks() {
        start(Map.of());
        String flowId = recordFlow("10");
        create(flowId);
        harness.sandbox.injectFault(Fault.retryAfter(Endpoint.POLL, Fault.Kind.RATE_LIMIT, 1, 17));

        JsonNode polled = poll(flowId, 0);
        assertThat(polled.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(polled.get("waitSeconds").asInt()).isEqualTo(17);
        assertThat(poll(flowId, 1).get("waitSeconds").asInt()).isEqualTo(2);
    }

    @Test
    void aFailedOrUnreadablePollIsMadeAgainAtTheNextInterval() {
        start(Map.of());
        String flowId = recordFlow("10");
        create(flowId);
        harness.sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.ERROR_500, 1));
        harness.sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.MALFORMED, 1));

        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(poll(flowId, 1).get("waitSeconds").asInt()).isEqualTo(2);
        confirmAtShine(flowId);
        assertThat(poll(flowId, 2).get("status").asText()).isEqualTo("CONFIRMED");
    }

    @Test
    void aRateLimitedActionIsSentOnceMoreWhileTheTokenIsValid() {
        start(Map.of());
        String flowId = confirmedFlow("20");
        harness.sandbox.injectFault(Fault.retryAfter(Endpoint.TRANSFER, Fault.Kind.RATE_LIMIT, 1, 1));

        assertThat(execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.sandbox.transfers()).hasSize(1);
        assertThat(harness.sandbox.calls()).filteredOn(c -> c.endpoint() == Endpoint.TRANSFER).hasSize(2);
    }

    @Test
    void aLateAnswerFromShineTurnsOutcomeUnknownIntoSucceeded() throws Exception {
        start(Map.of("SHINE_EXECUTE_TIMEOUT_MS", "5000"));
        String flowId = confirmedFlow("30");
        harness.sandbox.injectFault(Fault.delay(Endpoint.TRANSFER, 1, 1500));

        CompletableFuture<JsonNode> executing = CompletableFuture.supplyAsync(() -> execute(flowId));
        Thread.sleep(700);
        assertThat(recordFailure(flowId, "States.Timeout").get("status").asText()).isEqualTo("OUTCOME_UNKNOWN");

        assertThat(executing.get().get("status").asText()).isEqualTo("SUCCEEDED");
        Flow flow = flow(flowId);
        assertThat(flow.result().get("bankTransferId").asText()).isNotBlank();
        assertThat(flow.history()).extracting(StatusChange::status).endsWith(FlowStatus.EXECUTING,
                FlowStatus.OUTCOME_UNKNOWN, FlowStatus.SUCCEEDED);
        assertThat(harness.sandbox.transfers()).hasSize(1);
    }

    @Test
    void executeInvokedTwiceAtOnceSendsOneTransfer() throws Exception {
        start(Map.of());
        String flowId = confirmedFlow("99.99");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return execute(flowId);
            }));
        }
        go.countDown();
        for (CompletableFuture<JsonNode> run : runs) {
            assertThat(run.get().get("status").asText()).isIn("EXECUTING", "SUCCEEDED");
        }
        assertThat(harness.sandbox.transfers()).hasSize(1);
        assertThat(flow(flowId).status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.sandbox.transfers()).hasSize(1);
    }

    @Test
    void noAnswerAfterSendingEndsOutcomeUnknownAndNothingIsSentAgain() {
        start(Map.of());
        String flowId = confirmedFlow("12.30");
        harness.sandbox.injectFault(Fault.delay(Endpoint.TRANSFER, 1, 2500));

        assertThat(execute(flowId).get("status").asText()).isEqualTo("OUTCOME_UNKNOWN");
        Flow unknown = flow(flowId);
        assertThat(unknown.error().code()).isEqualTo("outcome-unknown");
        assertThat(unknown.shortLivedToken()).isEmpty();

        assertThat(execute(flowId).get("status").asText()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(recordFailure(flowId, "States.Timeout").get("status").asText()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(harness.sandbox.calls()).filteredOn(c -> c.endpoint() == Endpoint.TRANSFER).hasSize(1);
    }

    @Test
    void shineRefusingTheActionFailsTheFlow() {
        start(Map.of());
        String flowId = UUID.randomUUID().toString();
        harness.services.store().create(Flow.pending(flowId, "bank:transfers:create", UID, transfer("10"),
                Secret.of("not-the-users-token"), harness.clock.instant()));
        create(flowId);
        confirmAtShine(flowId);
        poll(flowId, 0);

        assertThat(execute(flowId).get("status").asText()).isEqualTo("FAILED");
        assertThat(flow(flowId).error().code()).isEqualTo("shine-rejected-request");
        assertThat(flow(flowId).error().message()).contains("HTTP 401").doesNotContain("not-the-users-token");
        assertThat(harness.sandbox.transfers()).isEmpty();
    }

    @Test
    void aTokenOlderThanAMinuteIsNotSent() {
        start(Map.of());
        String flowId = confirmedFlow("10");
        harness.advance(Duration.ofSeconds(60));

        assertThat(execute(flowId).get("status").asText()).isEqualTo("FAILED");
        assertThat(flow(flowId).error().code()).isEqualTo("token-expired");
        assertThat(harness.sandbox.calls()).noneMatch(c -> c.endpoint() == Endpoint.TRANSFER);
    }

    @Test
    void recordFailureFailsAnUnfinishedFlowAndLeavesAFinishedOne() {
        start(Map.of());
        String flowId = recordFlow("10");
        create(flowId);

        JsonNode failed = recordFailure(flowId, "io.scaflow.shine.ShineUnavailableException");
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(flow(flowId).error().code()).isEqualTo("shine-unavailable");
        assertThat(flow(flowId).error().message()).isEqualTo("Shine could not be reached or kept failing; nothing was done");
        assertThat(flow(flowId).history()).last().extracting(StatusChange::reason)
                .isEqualTo("stopped: Shine could not be reached or kept failing; nothing was done");
        assertThat(flow(flowId).accessToken()).isEmpty();
        assertThat(recordFailure(flowId, "States.ALL").get("status").asText()).isEqualTo("FAILED");
        assertThat(flow(flowId).history()).extracting(StatusChange::status).containsOnlyOnce(FlowStatus.FAILED);
    }

    @Test
    void anExecutionStoppedFromOutsideEndsItsUnfinishedFlow() throws Exception {
        start(Map.of());
        String waiting = recordFlow("10");
        create(waiting);
        assertThat(executionEnded(waiting, "ABORTED").get("flow").asText()).isEqualTo("CANCELLED");
        assertThat(flow(waiting).accessToken()).isEmpty();
        assertThat(flow(waiting).error().code()).isEqualTo("execution-stopped");

        String sending = confirmedFlow("10");
        harness.services.store().change(sending, FlowStatus.CONFIRMED, io.scaflow.store.FlowChange.to(
                FlowStatus.EXECUTING, "test: sending"));
        assertThat(executionEnded(sending, "TIMED_OUT").get("flow").asText()).isEqualTo("OUTCOME_UNKNOWN");

        String done = confirmedFlow("10");
        execute(done);
        assertThat(executionEnded(done, "ABORTED").get("flow").asText()).isEqualTo("SUCCEEDED");
        assertThat(executionEnded("no-such-flow", "FAILED").get("flow").asText()).isEqualTo("no flow");
    }

    private JsonNode executionEnded(String flowId, String executionStatus) throws java.io.IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(java.nio.file.Files.readString(
                io.scaflow.local.emulator.RepoRoot.find().resolve("events/execution-ended.json")));
        ((ObjectNode) event.get("detail")).put("name", flowId).put("status", executionStatus);
        var out = new java.io.ByteArrayOutputStream();
        new io.scaflow.flow.ExecutionEndedHandler(harness.services).handleRequest(
                new java.io.ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    @Test
    void consoleExecutionInputIsRecordedWithTheTokenFromSecretsManager() {
        String prefix = "scaflow/users/" + UUID.randomUUID() + "/";
        start(Map.of("USER_TOKEN_SECRET_PREFIX", prefix));
        String secretId = prefix + UID;
        try (var secretsManager = LocalAws.secretsManager(FlowHarness.moto().endpoint())) {
            secretsManager.createSecret(b -> b.name(secretId)
                    .secretString("{\"accessToken\": \"" + harness.sandbox.accessTokenOf(UID) + "\"}"));
            ObjectNode event = FlowHarness.event("create-action-request.json", UUID.randomUUID().toString());
            ((ObjectNode) event.get("input")).put("uid", UID).put("accessTokenSecretId", secretId);
            ((ObjectNode) event.get("input").get("payload")).put("uid", UID);
            String flowId = event.get("flowId").asText();

            assertThat(invokeCreate(event).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
            assertThat(flow(flowId).accessToken()).map(Secret::reveal).contains(harness.sandbox.accessTokenOf(UID));
        }
    }

    @Test
    void badConsoleInputIsRefusedByFieldAndRecordedAsFailed() {
        start(Map.of());
        ObjectNode event = FlowHarness.event("create-action-request.json", UUID.randomUUID().toString());
        ((ObjectNode) event.get("input")).remove("uid");
        ((ObjectNode) event.get("input").get("payload")).put("amount", 12.345);
        String flowId = event.get("flowId").asText();

        assertThatThrownBy(() -> invokeCreate(event))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("uid: is required")
                .hasMessageContaining("payload.amount: must have at most two decimals");
        assertThat(flow(flowId).status()).isEqualTo(FlowStatus.FAILED);
        assertThat(flow(flowId).error().message()).contains("uid: is required");

        ObjectNode withToken = FlowHarness.event("create-action-request.json", UUID.randomUUID().toString());
        ((ObjectNode) withToken.get("input")).put("accessToken", "raw-token-in-input");
        assertThatThrownBy(() -> invokeCreate(withToken))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("accessToken: must not be in an execution input");
    }

    private void start(Map<String, String> env) {
        harness = new FlowHarness(env);
        secrets.add(harness.sandbox.clientSecret());
        secrets.add(harness.sandbox.accessTokenOf(UID));
    }

    private String recordFlow(String amount) {
        String flowId = UUID.randomUUID().toString();
        harness.services.store().create(Flow.pending(flowId, "bank:transfers:create", UID, transfer(amount),
                Secret.of(harness.sandbox.accessTokenOf(UID)), harness.clock.instant()));
        return flowId;
    }

    private String confirmedFlow(String amount) {
        String flowId = recordFlow(amount);
        create(flowId);
        confirmAtShine(flowId);
        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("CONFIRMED");
        secrets.add(flow(flowId).shortLivedToken().orElseThrow().reveal());
        return flowId;
    }

    private void confirmAtShine(String flowId) {
        harness.sandbox.confirm(flow(flowId).actionRequestId());
    }

    private Flow flow(String flowId) {
        return harness.services.store().get(flowId);
    }

    private JsonNode create(String flowId) {
        return invokeCreate(FlowHarness.event("create-action-request.json", flowId));
    }

    private JsonNode invokeCreate(JsonNode event) {
        return record(harness.invoke(CreateActionRequestHandler::new, event));
    }

    private JsonNode poll(String flowId, int pollCount) {
        return record(harness.invoke(PollActionRequestHandler::new,
                FlowHarness.event("poll-action-request.json", flowId).put("pollCount", pollCount)));
    }

    private JsonNode execute(String flowId) {
        return record(harness.invoke(ExecuteActionHandler::new, FlowHarness.event("execute-action.json", flowId)));
    }

    private JsonNode recordFailure(String flowId, String error) {
        ObjectNode event = FlowHarness.event("record-failure.json", flowId);
        event.putObject("error").put("Error", error).put("Cause", "Shine answered 503");
        return record(harness.invoke(RecordFailureHandler::new, event));
    }

    private synchronized JsonNode record(JsonNode output) {
        outputs.add(output);
        assertThat(output.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("flowId", "status", "attempt", "waitSeconds", "pollCount", "renew", "pollAgain");
        return output;
    }

    private static JsonNode transfer(String amount) {
        return Json.MAPPER.createObjectNode().put("amount", new java.math.BigDecimal(amount))
                .put("bankTransferRecipientId", "recipient-7").put("uid", UID);
    }
}
