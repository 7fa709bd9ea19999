package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.ActionRequest;
import io.scaflow.local.sandbox.ActionRequestStatus;
import io.scaflow.local.sandbox.CallRecord;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.sandbox.TransferRecord;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.StatusChange;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The real state machine ({@code statemachine/sca-flow.asl.json}) on the local Step Functions service, the real
 * handlers behind the local Lambda service, DynamoDB and Secrets Manager in moto, Shine as the sandbox. Flows are
 * started as the console does (AWS SDK SfnClient, execution name = flow id, the user's token named by
 * accessTokenSecretId). Every scenario checks the flow item, the execution, the sandbox's transfers for its uid and
 * that no secret appears in the execution history.
 *
 * <p>Run: {@code ./mvnw -B -q -pl local -am test -Dtest='io/scaflow/local/e2e/*' -Dsurefire.failIfNoSpecifiedTests=false}
 * (surefire 3.6.1 matches nothing with {@code -Dtest='io.scaflow.local.e2e.*'}, and with
 * failIfNoSpecifiedTests=false that passes silently).
 */
@Timeout(120)
class ScaFlowEndToEndTest {

    /** Action requests live 3 s at the sandbox so expiry scenarios take seconds, not minutes. */
    private static final Duration REQUEST_LIFETIME = Duration.ofSeconds(3);
    private static final Duration MAX_RUN = Duration.ofSeconds(30);
    /** The template's MaxAttempts default. */
    private static final int MAX_ATTEMPTS = 3;

    // The execute call's timeout cut from 15 s to 5 s: the no-answer scenario below waits 6 s, not 16 s.
    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast().parameters(Map.of("ShineExecuteTimeoutMs", "5000"))
            .sandbox(config -> config.withActionRequestLifetime(REQUEST_LIFETIME));
    private static final E2eDriver driver = STACK.driver();

    // ---- (1) confirm ------------------------------------------------------------------------------------------

    @Test
    void confirmedFlowSucceedsWithExactlyOneTransfer() {
        String uid = driver.newUser("confirm", UserPolicy.confirmAfter(300));
        String flowId = E2eDriver.newFlowId();

        String arn = driver.start(flowId, uid, "234.50");
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(flow.attempt()).isEqualTo(1);
        assertThat(flow.error()).isNull();
        assertTokensRemoved(flow);
        assertThat(flow.history()).extracting(StatusChange::status).containsExactly(FlowStatus.PENDING,
                FlowStatus.AWAITING_CONFIRMATION, FlowStatus.CONFIRMED, FlowStatus.EXECUTING, FlowStatus.SUCCEEDED);
        List<TransferRecord> transfers = driver.transfersOf(uid);
        assertThat(transfers).hasSize(1);
        TransferRecord transfer = transfers.get(0);
        assertThat(transfer.amount()).isEqualByComparingTo("234.50");
        assertThat(transfer.actionRequestId()).isEqualTo(flow.actionRequestId());
        assertThat(flow.result().get("bankTransferId").asText()).isEqualTo(transfer.bankTransferId());
        assertThat(driver.actionRequestsOf(uid)).singleElement()
                .satisfies(r -> assertThat(r.token()).as("short-lived token issued").isNotBlank());
        driver.assertNoSecretInHistory(arn, uid);
    }

    // ---- (2) reject -------------------------------------------------------------------------------------------

    @Test
    void rejectedFlowFailsAsRejectedWithoutTransfer() {
        String uid = driver.newUser("reject", UserPolicy.rejectAfter(300));
        String flowId = E2eDriver.newFlowId();

        String arn = driver.start(flowId, uid, "10");
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);

        assertFailed(end, "Scaflow.Rejected");
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).isEqualTo(FlowStatus.REJECTED);
        assertThat(flow.attempt()).isEqualTo(1);
        assertThat(flow.result()).isNull();
        assertTokensRemoved(flow);
        assertThat(driver.transfersOf(uid)).isEmpty();
        driver.assertNoSecretInHistory(arn, uid);
    }

    // ---- (3) expire once, then confirm ------------------------------------------------------------------------

    @Test
    void expiredRequestIsRenewedAndTheSecondOneConfirmed() {
        String uid = driver.newUser("renew", UserPolicy.MANUAL);
        String flowId = E2eDriver.newFlowId();

        String arn = driver.start(flowId, uid, "42.00");
        Flow first = driver.awaitFlow(flowId, FlowStatus.AWAITING_CONFIRMATION, MAX_RUN);
        assertThat(first.attempt()).isEqualTo(1);
        Flow second = driver.awaitFlow(flowId,
                f -> f.attempt() == 2 && f.status() == FlowStatus.AWAITING_CONFIRMATION, MAX_RUN);
        assertThat(second.actionRequestId()).isNotEqualTo(first.actionRequestId());
        driver.sandbox().confirm(second.actionRequestId());
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(flow.attempt()).isEqualTo(2);
        assertTokensRemoved(flow);
        assertThat(flow.history()).extracting(StatusChange::status).containsExactly(FlowStatus.PENDING,
                FlowStatus.AWAITING_CONFIRMATION, FlowStatus.EXPIRED, FlowStatus.AWAITING_CONFIRMATION,
                FlowStatus.CONFIRMED, FlowStatus.EXECUTING, FlowStatus.SUCCEEDED);
        List<ActionRequest> requests = driver.actionRequestsOf(uid);
        assertThat(requests).as("two create calls for the uid").hasSize(2);
        assertThat(requests).extracting(ActionRequest::id)
                .containsExactlyInAnyOrder(first.actionRequestId(), second.actionRequestId());
        assertThat(driver.sandbox().actionRequest(first.actionRequestId()).orElseThrow().status())
                .isEqualTo(ActionRequestStatus.PENDING);
        assertThat(driver.transfersOf(uid)).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(second.actionRequestId()));
        assertThat(enteredCount(arn, "CreateActionRequest")).isEqualTo(2);
        driver.assertNoSecretInHistory(arn, uid);
    }

    // ---- (4) expire on every attempt --------------------------------------------------------------------------

    @Test
    void requestExpiringOnEveryAttemptEndsExpired() {
        String uid = driver.newUser("expire", UserPolicy.never());
        String flowId = E2eDriver.newFlowId();

        String arn = driver.start(flowId, uid, "10");
        DescribeExecutionResponse end = driver.awaitEnd(arn, Duration.ofSeconds(60));

        assertFailed(end, "Scaflow.Expired");
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).isEqualTo(FlowStatus.EXPIRED);
        assertThat(flow.attempt()).isEqualTo(MAX_ATTEMPTS);
        assertTokensRemoved(flow);
        assertThat(flow.history()).extracting(StatusChange::status).filteredOn(s -> s == FlowStatus.EXPIRED)
                .hasSize(MAX_ATTEMPTS);
        assertThat(driver.actionRequestsOf(uid)).hasSize(MAX_ATTEMPTS)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(ActionRequestStatus.PENDING));
        assertThat(driver.transfersOf(uid)).isEmpty();
        assertThat(enteredCount(arn, "CreateActionRequest")).isEqualTo(MAX_ATTEMPTS);
        driver.assertNoSecretInHistory(arn, uid);
    }

    // ---- (5) Shine 5xx on create, then recovery ---------------------------------------------------------------

    @Test
    void shine503OnCreateIsRetriedAndTheFlowSucceeds() {
        String uid = driver.newUser("create503", UserPolicy.confirmAfter(300));
        String flowId = E2eDriver.newFlowId();
        int callsBefore = driver.sandbox().calls().size();
        driver.sandbox().injectFault(Fault.of(Endpoint.CREATE, Fault.Kind.ERROR_503, 1));

        String arn = driver.start(flowId, uid, "15.75");
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(flow.attempt()).isEqualTo(1);
        assertTokensRemoved(flow);
        List<CallRecord> creates = callsSince(callsBefore, Endpoint.CREATE);
        assertThat(creates).hasSize(2);
        assertThat(creates.get(0).status()).isEqualTo(503);
        assertThat(creates.get(0).fault()).isEqualTo("ERROR_503");
        assertThat(creates.get(1).status()).isBetween(200, 299);
        assertThat(driver.actionRequestsOf(uid)).hasSize(1);
        assertThat(driver.transfersOf(uid)).hasSize(1);
        assertThat(driver.history(arn)).filteredOn(e -> e.lambdaFunctionFailedEventDetails() != null)
                .singleElement().satisfies(e -> assertThat(e.lambdaFunctionFailedEventDetails().error())
                        .isEqualTo("io.scaflow.shine.ShineUnavailableException"));
        driver.assertNoSecretInHistory(arn, uid);
    }

    // ---- (6) 429 with Retry-After on poll ---------------------------------------------------------------------

    @Test
    void rateLimitedPollWaitsForRetryAfterAndTheFlowSucceeds() {
        String uid = driver.newUser("poll429", UserPolicy.confirmAfter(300));
        String flowId = E2eDriver.newFlowId();
        int callsBefore = driver.sandbox().calls().size();
        // 5 s: above the poll interval (2 s), so the step result shows Shine's Retry-After, not the interval
        driver.sandbox().injectFault(Fault.retryAfter(Endpoint.POLL, Fault.Kind.RATE_LIMIT, 1, 5));

        String arn = driver.start(flowId, uid, "20");
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertTokensRemoved(flow);
        assertThat(callsSince(callsBefore, Endpoint.POLL).get(0).status()).isEqualTo(429);
        assertThat(driver.transfersOf(uid)).hasSize(1);

        // the polls run in the follow-up (Express) execution: its history shows the poll's step result
        List<HistoryEvent> history = driver.followUpHistory(arn);
        int firstPollExit = -1;
        for (int i = 0; i < history.size(); i++) {
            HistoryEvent e = history.get(i);
            if (e.stateExitedEventDetails() != null && "PollActionRequest".equals(e.stateExitedEventDetails().name())) {
                firstPollExit = i;
                break;
            }
        }
        assertThat(firstPollExit).as("a PollActionRequest exit").isNotNegative();
        JsonNode polled = json(history.get(firstPollExit).stateExitedEventDetails().output());
        assertThat(polled.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(polled.get("waitSeconds").asInt()).isEqualTo(5);
        assertThat(polled.get("pollAgain").asBoolean()).isTrue();
        // then RouteOnPoll (Choice) sends it to WaitForUser with that waitSeconds as its SecondsPath input
        List<HistoryEvent> nextEntered = history.subList(firstPollExit + 1, history.size()).stream()
                .filter(e -> e.stateEnteredEventDetails() != null).limit(2).toList();
        assertThat(nextEntered).extracting(e -> e.stateEnteredEventDetails().name())
                .containsExactly("RouteOnPoll", "WaitForUser");
        assertThat(json(nextEntered.get(1).stateEnteredEventDetails().input()).get("waitSeconds").asInt())
                .isEqualTo(5);
        driver.assertNoSecretInHistory(arn, uid);
    }

    // ---- (7) timeout on the execute call ----------------------------------------------------------------------

    @Test
    void transferWithoutAnswerEndsOutcomeUnknownAndIsNeverSentAgain() {
        String uid = driver.newUser("timeout", UserPolicy.confirmAfter(300));
        String flowId = E2eDriver.newFlowId();
        int callsBefore = driver.sandbox().calls().size();
        // SHINE_EXECUTE_TIMEOUT_MS is 5000 on this stack (ShineExecuteTimeoutMs): 6 s delay
        driver.sandbox().injectFault(Fault.delay(Endpoint.TRANSFER, 1, 6000));

        String arn = driver.start(flowId, uid, "12.30");
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);

        assertFailed(end, "Scaflow.OutcomeUnknown");
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
        assertThat(flow.error().code()).isEqualTo("outcome-unknown");
        assertTokensRemoved(flow);
        // the delayed call was processed by the sandbox: the money moved although scaflow got no answer
        assertThat(driver.transfersOf(uid)).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(flow.actionRequestId()));
        // the call is recorded when the sandbox answers (6 s after it came in): wait for it, then make sure
        // nothing else was sent
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (callsSince(callsBefore, Endpoint.TRANSFER).isEmpty() && System.nanoTime() < deadline) {
            E2eDriver.sleep(100);
        }
        E2eDriver.sleep(500);
        assertThat(callsSince(callsBefore, Endpoint.TRANSFER)).singleElement()
                .satisfies(c -> assertThat(c.fault()).isEqualTo("DELAY"));
        assertThat(driver.transfersOf(uid)).hasSize(1);
        assertThat(enteredCount(arn, "ExecuteAction")).isEqualTo(1);
        driver.assertNoSecretInHistory(arn, uid);
    }

    // ---- (8) StopExecution while waiting for the user ---------------------------------------------------------

    @Test
    void stoppedExecutionIsAbortedAndNothingIsTransferred() {
        String uid = driver.newUser("stop", UserPolicy.MANUAL);
        String flowId = E2eDriver.newFlowId();

        String arn = driver.start(flowId, uid, "10");
        Flow waiting = driver.awaitFlow(flowId, FlowStatus.AWAITING_CONFIRMATION, MAX_RUN);
        driver.awaitFirstChild(arn, MAX_RUN);   // the flow is recorded a moment before the parent starts polling
        driver.stack().sfn()
                .stopExecution(b -> b.executionArn(arn).error("Test.Stopped").cause("stopped by the e2e test"));
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);
        assertThat(end.status()).isEqualTo(ExecutionStatus.ABORTED);
        // the follow-up that was polling is stopped with its parent
        assertThat(driver.children(arn)).isNotEmpty().allSatisfy(child ->
                assertThat(driver.describe(child).status()).isNotEqualTo(ExecutionStatus.RUNNING));

        // the user confirms after the stop: nothing must act on it any more
        E2eDriver.sleep(500);
        driver.sandbox().confirm(waiting.actionRequestId());
        E2eDriver.sleep(1500);

        assertThat(driver.describe(arn).status()).isEqualTo(ExecutionStatus.ABORTED);
        // the execution-ended event (EventBridge in AWS) ends the flow and drops its secrets
        Flow flow = driver.awaitFlow(flowId, FlowStatus.CANCELLED, MAX_RUN);
        assertThat(flow.attempt()).isEqualTo(1);
        assertThat(flow.error().code()).isEqualTo("execution-stopped");
        assertThat(flow.shortLivedToken()).isEmpty();
        assertThat(flow.accessToken()).isEmpty();
        assertThat(driver.transfersOf(uid)).isEmpty();
        assertThat(driver.history(arn)).anySatisfy(e -> assertThat(e.typeAsString()).isEqualTo("ExecutionAborted"));
        driver.assertNoSecretInHistory(arn, uid);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void assertFailed(DescribeExecutionResponse end, String error) {
        assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(end.error()).isEqualTo(error);
    }

    private static void assertTokensRemoved(Flow flow) {
        assertThat(flow.accessToken()).as("access token removed").isEmpty();
        assertThat(flow.shortLivedToken()).as("short-lived token removed").isEmpty();
    }

    private static List<CallRecord> callsSince(int index, Endpoint endpoint) {
        List<CallRecord> calls = driver.sandbox().calls();
        return calls.subList(Math.min(index, calls.size()), calls.size()).stream()
                .filter(c -> c.endpoint() == endpoint).toList();
    }

    private static long enteredCount(String arn, String state) {
        return driver.history(arn).stream()
                .filter(e -> e.stateEnteredEventDetails() != null && state.equals(e.stateEnteredEventDetails().name()))
                .count();
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
