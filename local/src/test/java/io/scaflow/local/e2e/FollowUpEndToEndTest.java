package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.StatusChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * The two state machines on the local stack: the Standard parent's few transitions, the Express follow-up's own
 * record, a duplicate follow-up (Express runs at least once) that changes nothing, and a stopped parent that leaves
 * no follow-up running.
 */
@Timeout(120)
class FollowUpEndToEndTest {

    private static final Duration MAX_RUN = Duration.ofSeconds(30);

    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast();
    private static final E2eDriver driver = STACK.driver();

    @Test
    void aConfirmedFlowTakesSixStandardTransitionsAndOneExpressFollowUp() {
        String uid = driver.newUser("follow", UserPolicy.confirmAfter(1_000));
        String flowId = E2eDriver.newFlowId();

        String arn = driver.start(flowId, uid, "12.00");
        assertThat(driver.awaitEnd(arn, MAX_RUN).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        assertThat(entered(driver.history(arn))).containsExactly("CreateActionRequest", "FollowActionRequest",
                "RouteOnStatus", "ExecuteAction", "RouteOnExecution", "Succeeded");
        String child = driver.children(arn).get(0);
        assertThat(driver.children(arn)).hasSize(1);
        assertThat(child).contains(":express:FollowActionRequestStateMachine:");
        assertThat(driver.stack().sfn()
                .describeStateMachine(b -> b.stateMachineArn(driver.followUpStateMachineArn())).type())
                .isEqualTo(StateMachineType.EXPRESS);
        DescribeExecutionResponse followUp = driver.describe(child);
        assertThat(followUp.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(followUp.output()).path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(json(followUp.input()).path("flowId").asText()).isEqualTo(flowId);
        assertThat(json(followUp.input()).path("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID").asText()).isEqualTo(arn);
        assertThat(entered(driver.history(child))).startsWith("WaitForUser", "PollActionRequest", "RouteOnPoll")
                .endsWith("HandBack");
        assertThat(driver.transfersOf(uid)).hasSize(1);
        driver.assertNoSecretInHistory(arn, uid);
    }

    @Test
    void aDuplicateFollowUpIsHarmless() {
        String uid = driver.newUser("duplicate", UserPolicy.MANUAL);
        String flowId = E2eDriver.newFlowId();

        String arn = driver.start(flowId, uid, "77.70");
        Flow waiting = driver.awaitFlow(flowId, FlowStatus.AWAITING_CONFIRMATION, MAX_RUN);
        String first = awaitChild(arn);
        // Express runs at least once: the same follow-up, started a second time with the same input
        String input = driver.describe(first).input();
        String duplicate = driver.stack().sfn().startExecution(b -> b.stateMachineArn(driver.followUpStateMachineArn())
                .input(input)).executionArn();
        assertThat(duplicate).isNotEqualTo(first);
        awaitPolls(duplicate);

        driver.sandbox().confirm(waiting.actionRequestId());
        assertThat(driver.awaitEnd(arn, MAX_RUN).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        DescribeExecutionResponse duplicateEnd = driver.awaitEnd(duplicate, MAX_RUN);

        assertThat(duplicateEnd.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(duplicateEnd.output()).path("status").asText())
                .isIn("CONFIRMED", "EXECUTING", "SUCCEEDED");
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(flow.history()).extracting(StatusChange::status).containsExactly(FlowStatus.PENDING,
                FlowStatus.AWAITING_CONFIRMATION, FlowStatus.CONFIRMED, FlowStatus.EXECUTING, FlowStatus.SUCCEEDED);
        assertThat(flow.shortLivedToken()).isEmpty();
        assertThat(driver.transfersOf(uid)).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(waiting.actionRequestId()));
        assertThat(driver.actionRequestsOf(uid)).hasSize(1);
        driver.assertNoSecretInHistory(arn, uid);
    }

    @Test
    void aStoppedParentLeavesNoRunningFollowUp() {
        String uid = driver.newUser("stopped", UserPolicy.MANUAL);
        String flowId = E2eDriver.newFlowId();

        String arn = driver.start(flowId, uid, "10");
        Flow waiting = driver.awaitFlow(flowId, FlowStatus.AWAITING_CONFIRMATION, MAX_RUN);
        String child = awaitChild(arn);
        awaitPolls(child);
        assertThat(driver.describe(child).status()).isEqualTo(ExecutionStatus.RUNNING);

        driver.stack().sfn().stopExecution(b -> b.executionArn(arn).cause("stopped by the e2e test"));

        assertThat(driver.describe(arn).status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(driver.describe(child).status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(driver.stack().sfn().listExecutions(b -> b.stateMachineArn(driver.followUpStateMachineArn())
                .statusFilter(ExecutionStatus.RUNNING)).executions())
                .noneSatisfy(e -> assertThat(driver.children(arn)).contains(e.executionArn()));
        // the user confirms afterwards: nothing acts on it, and nothing polls any more (a poll already on its way
        // when the stop came may still arrive)
        long pollsAtStop = shinePollsOf(waiting.actionRequestId());
        driver.sandbox().confirm(waiting.actionRequestId());
        Flow flow = driver.awaitFlow(flowId, FlowStatus.CANCELLED, MAX_RUN);
        E2eDriver.sleep(1_000); // five follow-up wait intervals of this stack
        assertThat(flow.shortLivedToken()).isEmpty();
        assertThat(shinePollsOf(waiting.actionRequestId())).isLessThanOrEqualTo(pollsAtStop + 1);
        assertThat(driver.transfersOf(uid)).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static String awaitChild(String parentArn) {
        long deadline = System.nanoTime() + MAX_RUN.toNanos();
        while (true) {
            List<String> children = driver.children(parentArn);
            if (!children.isEmpty()) {
                return children.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no follow-up started by " + parentArn);
            }
            E2eDriver.sleep(20);
        }
    }

    /** Waits until the follow-up has polled at least once. */
    private static void awaitPolls(String child) {
        long deadline = System.nanoTime() + MAX_RUN.toNanos();
        while (pollsOf(child) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no poll in " + child);
            }
            E2eDriver.sleep(20);
        }
    }

    private static int pollsOf(String child) {
        return (int) driver.history(child).stream().filter(e -> e.stateExitedEventDetails() != null
                && "PollActionRequest".equals(e.stateExitedEventDetails().name())).count();
    }

    private static long shinePollsOf(String actionRequestId) {
        return driver.sandbox().calls().stream().filter(c -> c.endpoint() == io.scaflow.local.sandbox.Endpoint.POLL
                && c.path().contains(actionRequestId)).count();
    }

    private static List<String> entered(List<HistoryEvent> history) {
        return history.stream().filter(e -> e.stateEnteredEventDetails() != null)
                .map(e -> e.stateEnteredEventDetails().name()).toList();
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
