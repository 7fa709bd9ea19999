package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.stack.StubLambda.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * states:startExecution.sync:2 on the local Step Functions service: an Express child run in the same Node process
 * with its own execution record, its output as .sync:2 gives it, its failure as States.TaskFailed, its 5-minute
 * limit, and a stopped parent stopping it.
 */
class NestedExecutionsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FN = "arn:aws:lambda:eu-west-3:123456789012:function:";

    /** ChildStep, then Hold (a long Wait) when the step says so. */
    private static final String CHILD = """
            {"StartAt": "ChildStep", "States": {
              "ChildStep": {"Type": "Task", "Resource": "%sChildStep", "Next": "Route"},
              "Route": {"Type": "Choice", "Choices": [{"Variable": "$.hold", "BooleanEquals": true, "Next": "Hold"}],
                        "Default": "Done"},
              "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
              "Done": {"Type": "Succeed"}}}
            """.formatted(FN);

    /** Follow = the child through .sync:2, its Output kept; any failure ends the parent with the Task's error. */
    private static final String PARENT = """
            {"StartAt": "Follow", "States": {
              "Follow": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                         "Parameters": {"StateMachineArn": "%s",
                                        "Input": {"flowId.$": "$$.Execution.Name", "hold.$": "$.hold"}},
                         "OutputPath": "$.Output", "TimeoutSeconds": 60,
                         "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
                         "Next": "Done"},
              "Done": {"Type": "Succeed"},
              "Failed": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"}}}
            """;

    private static StubLambda lambda;
    private static LocalStepFunctions sfn;
    private static SfnClient client;
    private static String childArn;
    private static String parentArn;
    private static final List<LocalStepFunctions.ExecutionEnd> ends = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServices() {
        lambda = new StubLambda();
        sfn = LocalStepFunctions.start(lambda.endpoint());
        client = LocalAws.sfn(sfn.endpoint());
        childArn = sfn.registerStateMachine("Child", CHILD, LocalStepFunctions.Type.EXPRESS);
        parentArn = sfn.registerStateMachine("Parent", PARENT.formatted(childArn));
        sfn.onExecutionEnd(ends::add);
        lambda.on("ChildStep", p -> p.path("flowId").asText().startsWith("fails")
                ? Answer.error("Scaflow.Boom", "the child step failed")
                : Answer.ok("{\"flowId\":\"" + p.path("flowId").asText() + "\",\"hold\":" + p.path("hold") + "}"));
    }

    @AfterAll
    static void stopServices() {
        client.close();
        sfn.close();
        lambda.close();
    }

    @AfterEach
    void defaultLimit() {
        sfn.overrideExpressLimit(null);
    }

    @Test
    void theChildsOutputIsTheTasksResultAndTheChildHasItsOwnExpressRecord() throws Exception {
        String parent = start("ok-1", false);
        DescribeExecutionResponse done = awaitEnd(parent);

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output())).isEqualTo(json("{\"flowId\":\"ok-1\",\"hold\":false}"));
        String child = childOf(parent);
        assertThat(child).startsWith("arn:aws:states:eu-west-3:123456789012:express:Child:");
        DescribeExecutionResponse childEnd = client.describeExecution(b -> b.executionArn(child));
        assertThat(childEnd.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(childEnd.stateMachineArn()).isEqualTo(childArn);
        assertThat(json(childEnd.input()).path("flowId").asText()).isEqualTo("ok-1");
        assertThat(client.describeStateMachine(b -> b.stateMachineArn(childArn)).type())
                .isEqualTo(StateMachineType.EXPRESS);
        assertThat(client.listExecutions(b -> b.stateMachineArn(childArn)).executions())
                .anySatisfy(e -> assertThat(e.executionArn()).isEqualTo(child));
        assertThat(types(child)).startsWith("ExecutionStarted", "TaskStateEntered").endsWith("ExecutionSucceeded");

        List<HistoryEvent> history = client.getExecutionHistory(b -> b.executionArn(parent)).events();
        assertThat(history).extracting(HistoryEvent::typeAsString).containsSubsequence("TaskStateEntered",
                "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded");
        JsonNode succeeded = json(history.stream().filter(e -> e.taskSucceededEventDetails() != null).findFirst()
                .orElseThrow().taskSucceededEventDetails().output());
        assertThat(succeeded.path("ExecutionArn").asText()).isEqualTo(child);
        assertThat(succeeded.path("Status").asText()).isEqualTo("SUCCEEDED");
        assertThat(succeeded.path("Output").isObject()).as(".sync:2: Output as JSON").isTrue();
        assertThat(succeeded.path("Input").path("flowId").asText()).isEqualTo("ok-1");
        assertThat(history).filteredOn(e -> e.taskSucceededEventDetails() != null).singleElement()
                .satisfies(e -> assertThat(e.taskSucceededEventDetails().resource()).isEqualTo("startExecution.sync:2"));
        // EventBridge carries the status changes of Standard executions only
        awaitEnds(parent);
        assertThat(ends).noneSatisfy(e -> assertThat(e.executionArn()).isEqualTo(child));
    }

    @Test
    void aFailedChildFailsTheTaskWithStatesTaskFailedAndItsDescription() throws Exception {
        String parent = start("fails-1", false);
        DescribeExecutionResponse done = awaitEnd(parent);

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("States.TaskFailed");
        JsonNode cause = json(done.cause());
        assertThat(cause.path("Status").asText()).isEqualTo("FAILED");
        assertThat(cause.path("Error").asText()).isEqualTo("Scaflow.Boom");
        assertThat(cause.path("ExecutionArn").asText()).isEqualTo(childOf(parent));
        assertThat(client.getExecutionHistory(b -> b.executionArn(parent)).events())
                .filteredOn(e -> e.taskFailedEventDetails() != null).singleElement()
                .satisfies(e -> {
                    assertThat(e.taskFailedEventDetails().error()).isEqualTo("States.TaskFailed");
                    assertThat(e.taskFailedEventDetails().resourceType()).isEqualTo("states");
                });
    }

    @Test
    void aChildOfAStateMachineThatDoesNotExistIsRefusedByName() {
        String arn = sfn.registerStateMachine("Orphan", PARENT.formatted(childArn + "-missing"));
        String parent = client.startExecution(b -> b.stateMachineArn(arn).name("orphan-1")
                .input("{\"hold\": false}")).executionArn();
        DescribeExecutionResponse done = awaitEnd(parent);

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("StepFunctions.StateMachineDoesNotExistException");
    }

    @Test
    void aPlainStartReturnsAtOnceAndItsChildOutlivesTheParent() throws Exception {
        String arn = sfn.registerStateMachine("FireAndForget", PARENT.formatted(childArn)
                .replace("startExecution.sync:2", "startExecution").replace("\"OutputPath\": \"$.Output\", ", ""));
        String parent = client.startExecution(b -> b.stateMachineArn(arn).name("fire-1").input("{\"hold\": true}"))
                .executionArn();
        DescribeExecutionResponse done = awaitEnd(parent);

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = json(done.output());
        assertThat(output.fieldNames()).toIterable().containsExactly("ExecutionArn", "StartDate");
        String child = output.path("ExecutionArn").asText();
        assertThat(client.describeExecution(b -> b.executionArn(child)).status()).isEqualTo(ExecutionStatus.RUNNING);
        client.stopExecution(b -> b.executionArn(child));
    }

    @Test
    void aStoppedParentLeavesNoRunningChild() {
        String parent = start("stop-1", true);
        String child = childOf(parent);
        awaitStatus(child, s -> s == ExecutionStatus.RUNNING);

        client.stopExecution(b -> b.executionArn(parent).error("Test.Stopped").cause("stopped by the test"));

        assertThat(client.describeExecution(b -> b.executionArn(parent)).status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(client.describeExecution(b -> b.executionArn(child)).status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(client.listExecutions(b -> b.stateMachineArn(childArn).statusFilter(ExecutionStatus.RUNNING))
                .executions()).noneSatisfy(e -> assertThat(e.executionArn()).isEqualTo(child));
        assertThat(types(child)).endsWith("ExecutionAborted");
    }

    @Test
    void anExpressChildPastItsLimitTimesOutAndFailsTheTask() throws Exception {
        sfn.overrideExpressLimit(Duration.ofMillis(300));
        String parent = start("limit-1", true);
        DescribeExecutionResponse done = awaitEnd(parent);

        String child = childOf(parent);
        DescribeExecutionResponse childEnd = client.describeExecution(b -> b.executionArn(child));
        assertThat(childEnd.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(childEnd.error()).isEqualTo("States.Timeout");
        assertThat(types(child)).endsWith("ExecutionTimedOut");
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("States.TaskFailed");
        assertThat(json(done.cause()).path("Status").asText()).isEqualTo("TIMED_OUT");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static String start(String name, boolean hold) {
        return client.startExecution(b -> b.stateMachineArn(parentArn).name(name).input("{\"hold\": " + hold + "}"))
                .executionArn();
    }

    /** The child the parent's Task started, from the parent's TaskSubmitted event. */
    private static String childOf(String parent) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            for (HistoryEvent e : client.getExecutionHistory(b -> b.executionArn(parent)).events()) {
                if (e.taskSubmittedEventDetails() != null) {
                    return json(e.taskSubmittedEventDetails().output()).path("ExecutionArn").asText();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no child started by " + parent);
            }
            sleep(10);
        }
    }

    private static List<String> types(String executionArn) {
        return client.getExecutionHistory(b -> b.executionArn(executionArn)).events().stream()
                .map(HistoryEvent::typeAsString).toList();
    }

    private static DescribeExecutionResponse awaitEnd(String executionArn) {
        return awaitStatus(executionArn, s -> s != ExecutionStatus.RUNNING);
    }

    private static DescribeExecutionResponse awaitStatus(String executionArn,
                                                         java.util.function.Predicate<ExecutionStatus> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            DescribeExecutionResponse d = client.describeExecution(b -> b.executionArn(executionArn));
            if (wanted.test(d.status())) {
                return d;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(executionArn + " still " + d.status());
            }
            sleep(10);
        }
    }

    private static void awaitEnds(String executionArn) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ends.stream().noneMatch(e -> e.executionArn().equals(executionArn)) && System.nanoTime() < deadline) {
            sleep(10);
        }
        sleep(100); // a child's end, were it announced, would have come by now
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
