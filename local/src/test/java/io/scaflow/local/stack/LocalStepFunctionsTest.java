package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.stack.StubLambda.Answer;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

class LocalStepFunctionsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FN = "arn:aws:lambda:eu-west-3:123456789012:function:";

    /** Task -> Wait -> Choice -> Succeed / Fail; the Task retries ShineUnavailableException twice, then is caught. */
    private static final String SMALL = """
            {
              "StartAt": "DoStep",
              "States": {
                "DoStep": {
                  "Type": "Task",
                  "Resource": "%sStep",
                  "Parameters": {"flowId.$": "$$.Execution.Name", "executionId.$": "$$.Execution.Id",
                                 "input.$": "$$.Execution.Input", "startTime.$": "$$.Execution.StartTime"},
                  "Retry": [{"ErrorEquals": ["io.scaflow.shine.ShineUnavailableException"], "IntervalSeconds": 2,
                             "MaxAttempts": 2, "BackoffRate": 2}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "StepFailed"}],
                  "Next": "Pause"
                },
                "Pause": {"Type": "Wait", "Seconds": 3600, "Next": "Route"},
                "Route": {
                  "Type": "Choice",
                  "Choices": [{"Variable": "$.status", "StringEquals": "OK", "Next": "Done"}],
                  "Default": "Rejected"
                },
                "Done": {"Type": "Succeed"},
                "Rejected": {"Type": "Fail", "Error": "Scaflow.Rejected", "Cause": "status was not OK"},
                "StepFailed": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"}
              }
            }
            """.formatted(FN);

    private static StubLambda lambda;
    private static LocalStepFunctions sfn;
    private static SfnClient client;
    private static String smallArn;

    @BeforeAll
    static void startServices() {
        lambda = new StubLambda();
        long t0 = System.nanoTime();
        sfn = LocalStepFunctions.start(lambda.endpoint());
        System.out.printf("local Step Functions: Node runner ready in %d ms (LocalStepFunctions.start %d ms)%n",
                sfn.runnerStartupTime().toMillis(), (System.nanoTime() - t0) / 1_000_000);
        client = LocalAws.sfn(sfn.endpoint());
        long t1 = System.nanoTime();
        smallArn = sfn.registerStateMachine("Small", SMALL);
        System.out.printf("local Step Functions: registerStateMachine (validation) %d ms%n", (System.nanoTime() - t1) / 1_000_000);
    }

    @AfterAll
    static void stopServices() {
        if (client != null) {
            client.close();
        }
        if (sfn != null) {
            sfn.close();
        }
        if (lambda != null) {
            lambda.close();
        }
    }

    @BeforeEach
    void fastWaits() {
        sfn.overrideWaitTimes(Map.of("Pause", 5L, "WaitForUser", 1L));
        sfn.overrideRetryIntervals(Map.of("DoStep", 5L, "CreateActionRequest", 5L, "PollActionRequest", 5L));
    }

    private static DescribeExecutionResponse awaitEnd(String executionArn) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            DescribeExecutionResponse d = client.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING || System.nanoTime() > deadline) {
                return d;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<HistoryEvent> history(String executionArn) {
        return client.getExecutionHistory(b -> b.executionArn(executionArn)).events();
    }

    @Test
    void runsToSuccessWithTheContextObjectFilled() throws Exception {
        lambda.on("Step", payload -> Answer.ok("{\"status\":\"OK\",\"echo\":" + payload + "}"));
        long t0 = System.nanoTime();
        StartExecutionResponse started = client.startExecution(b -> b.stateMachineArn(smallArn).name("ok-1")
                .input("{\"amount\": 12}"));
        DescribeExecutionResponse done = awaitEnd(started.executionArn());
        System.out.printf("local Step Functions: one small execution (Task, Wait 5 ms, Choice, Succeed) %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(started.executionArn())
                .isEqualTo("arn:aws:states:eu-west-3:123456789012:execution:Small:ok-1");
        assertThat(done.name()).isEqualTo("ok-1");
        assertThat(done.stateMachineArn()).isEqualTo(smallArn);
        assertThat(done.input()).isEqualTo("{\"amount\": 12}");
        assertThat(done.startDate()).isNotNull();
        assertThat(done.stopDate()).isAfterOrEqualTo(done.startDate());
        JsonNode output = MAPPER.readTree(done.output());
        assertThat(output.path("status").asText()).isEqualTo("OK");
        JsonNode echo = output.path("echo");
        assertThat(echo.path("flowId").asText()).isEqualTo("ok-1");
        assertThat(echo.path("executionId").asText()).isEqualTo(started.executionArn());
        assertThat(echo.path("input").path("amount").asInt()).isEqualTo(12);
        assertThat(echo.path("startTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        long t1 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            String name = "warm-" + i;
            String arn = client.startExecution(b -> b.stateMachineArn(smallArn).name(name)).executionArn();
            assertThat(awaitEnd(arn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        System.out.printf("local Step Functions: warm small execution, start to SUCCEEDED seen by polling, %d ms on average%n",
                (System.nanoTime() - t1) / 5_000_000);
    }

    @Test
    void historyHasEnteredAndExitedEventsWithInputsAndOutputs() throws Exception {
        lambda.on("Step", payload -> Answer.ok("{\"status\":\"OK\"}"));
        String arn = client.startExecution(b -> b.stateMachineArn(smallArn).name("history-1").input("{\"a\":1}"))
                .executionArn();
        assertThat(awaitEnd(arn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        List<HistoryEvent> events = history(arn);
        assertThat(events).extracting(HistoryEvent::type).containsExactly(
                HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_STATE_EXITED,
                HistoryEventType.WAIT_STATE_ENTERED, HistoryEventType.WAIT_STATE_EXITED,
                HistoryEventType.CHOICE_STATE_ENTERED, HistoryEventType.CHOICE_STATE_EXITED,
                HistoryEventType.SUCCEED_STATE_ENTERED, HistoryEventType.SUCCEED_STATE_EXITED,
                HistoryEventType.EXECUTION_SUCCEEDED);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).isEqualTo(i + 1L);
            assertThat(events.get(i).previousEventId()).isEqualTo((long) i);
            assertThat(events.get(i).timestamp()).isNotNull();
        }
        assertThat(events.get(0).executionStartedEventDetails().input()).isEqualTo("{\"a\":1}");
        assertThat(events.get(1).stateEnteredEventDetails().name()).isEqualTo("DoStep");
        assertThat(MAPPER.readTree(events.get(1).stateEnteredEventDetails().input()).path("a").asInt()).isEqualTo(1);
        assertThat(events.get(2).stateExitedEventDetails().name()).isEqualTo("DoStep");
        assertThat(events.get(2).stateExitedEventDetails().output()).isEqualTo("{\"status\":\"OK\"}");
        assertThat(events.get(9).executionSucceededEventDetails().output()).isEqualTo("{\"status\":\"OK\"}");

        List<HistoryEvent> reversed = client.getExecutionHistory(b -> b.executionArn(arn).reverseOrder(true)
                .includeExecutionData(false)).events();
        assertThat(reversed.get(0).type()).isEqualTo(HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(reversed.get(0).executionSucceededEventDetails().output()).isNull();
    }

    @Test
    void aTaskErrorIsRetriedThenCaught() {
        AtomicInteger calls = new AtomicInteger();
        lambda.on("Step", payload -> {
            calls.incrementAndGet();
            return Answer.error("io.scaflow.shine.ShineUnavailableException", "Shine answered 503");
        });
        String arn = client.startExecution(b -> b.stateMachineArn(smallArn).name("unavailable-1")).executionArn();
        DescribeExecutionResponse done = awaitEnd(arn);

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("io.scaflow.shine.ShineUnavailableException");
        assertThat(done.cause()).contains("Shine answered 503");
        assertThat(calls.get()).isEqualTo(3); // the first call and MaxAttempts 2 retries
        List<HistoryEvent> events = history(arn);
        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED).hasSize(3)
                .allSatisfy(e -> assertThat(e.lambdaFunctionFailedEventDetails().error())
                        .isEqualTo("io.scaflow.shine.ShineUnavailableException"));
        assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.EXECUTION_FAILED);
        assertThat(events.get(events.size() - 1).executionFailedEventDetails().error())
                .isEqualTo("io.scaflow.shine.ShineUnavailableException");
    }

    @Test
    void lambdaRefusingTheInvocationIsNamedAsStepFunctionsNamesIt() {
        lambda.on("Step", payload -> Answer.throttled());
        String arn = client.startExecution(b -> b.stateMachineArn(smallArn).name("throttled-1")).executionArn();
        DescribeExecutionResponse done = awaitEnd(arn);

        // caught by States.ALL into StepFailed, which fails with the caught error's name
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("Lambda.TooManyRequestsException");
        assertThat(done.cause()).contains("Rate Exceeded.");
    }

    @Test
    void aFailStateFailsTheExecutionWithItsError() {
        lambda.on("Step", payload -> Answer.ok("{\"status\":\"NO\"}"));
        String arn = client.startExecution(b -> b.stateMachineArn(smallArn).name("rejected-1")).executionArn();
        DescribeExecutionResponse done = awaitEnd(arn);
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("Scaflow.Rejected");
        assertThat(done.cause()).isEqualTo("status was not OK");
        assertThat(done.output()).isNull();
    }

    @Test
    void startExecutionNamesAreUniqueAsInAws() {
        sfn.overrideWaitTimes(Map.of());
        lambda.on("Step", payload -> Answer.ok("{\"status\":\"OK\"}"));
        StartExecutionResponse first = client.startExecution(b -> b.stateMachineArn(smallArn).name("dup-1")
                .input("{\"x\":1}"));
        // same name and input while running: the running execution
        StartExecutionResponse again = client.startExecution(b -> b.stateMachineArn(smallArn).name("dup-1")
                .input("{\"x\":1}"));
        assertThat(again.executionArn()).isEqualTo(first.executionArn());
        assertThat(again.startDate()).isEqualTo(first.startDate());
        // same name, other input
        assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(smallArn).name("dup-1")
                .input("{\"x\":2}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class)
                .satisfies(e -> assertThat(((ExecutionAlreadyExistsException) e).statusCode()).isEqualTo(400));
        // finished: the name stays taken, even with the same input
        client.stopExecution(b -> b.executionArn(first.executionArn()));
        assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(smallArn).name("dup-1")
                .input("{\"x\":1}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class);
        // invalid names
        assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(smallArn).name("has space")))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(smallArn).name("x".repeat(81))))
                .isInstanceOf(InvalidNameException.class);
    }

    @Test
    void stopExecutionDuringALongWaitAborts() throws Exception {
        sfn.overrideWaitTimes(Map.of());
        lambda.on("Step", payload -> Answer.ok("{\"status\":\"OK\"}"));
        String arn = client.startExecution(b -> b.stateMachineArn(smallArn).name("stop-1")).executionArn();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (history(arn).stream().noneMatch(e -> e.type() == HistoryEventType.WAIT_STATE_ENTERED)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        var stopped = client.stopExecution(b -> b.executionArn(arn).error("Scaflow.Cancelled").cause("by the test"));
        assertThat(stopped.stopDate()).isNotNull();

        DescribeExecutionResponse done = client.describeExecution(b -> b.executionArn(arn));
        assertThat(done.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(done.error()).isEqualTo("Scaflow.Cancelled");
        Thread.sleep(100); // the engine's own abort must not change anything
        List<HistoryEvent> events = history(arn);
        assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.EXECUTION_ABORTED);
        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.EXECUTION_ABORTED).hasSize(1);
        assertThat(client.describeExecution(b -> b.executionArn(arn)).status()).isEqualTo(ExecutionStatus.ABORTED);
    }

    @Test
    void listExecutionsByStateMachineAndStatus() {
        String arn = sfn.registerStateMachine("ListMe", SMALL);
        lambda.on("Step", payload -> Answer.ok("{\"status\":\"OK\"}"));
        String done = client.startExecution(b -> b.stateMachineArn(arn).name("list-done")).executionArn();
        assertThat(awaitEnd(done).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        sfn.overrideWaitTimes(Map.of());
        String running = client.startExecution(b -> b.stateMachineArn(arn).name("list-running")).executionArn();

        assertThat(client.listExecutions(b -> b.stateMachineArn(arn)).executions())
                .extracting(e -> e.name()).containsExactly("list-running", "list-done");
        assertThat(client.listExecutions(b -> b.stateMachineArn(arn).statusFilter(ExecutionStatus.RUNNING))
                .executions()).extracting(e -> e.executionArn()).containsExactly(running);
        assertThat(client.listExecutions(b -> b.stateMachineArn(arn).statusFilter(ExecutionStatus.SUCCEEDED))
                .executions()).singleElement().satisfies(e -> {
                    assertThat(e.executionArn()).isEqualTo(done);
                    assertThat(e.stopDate()).isNotNull();
                });
        var page = client.listExecutions(b -> b.stateMachineArn(arn).maxResults(1));
        assertThat(page.executions()).hasSize(1);
        assertThat(page.nextToken()).isNotNull();
        client.stopExecution(b -> b.executionArn(running));
    }

    @Test
    void anInvalidDefinitionIsRefusedAtRegistration() {
        assertThatThrownBy(() -> sfn.registerStateMachine("Broken",
                "{\"StartAt\":\"Nowhere\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid");
    }

    @Test
    void missingNodeModulesSaysRunMakeNode(@TempDir Path emptyRoot) {
        assertThatThrownBy(() -> LocalStepFunctions.start(emptyRoot, lambda.endpoint()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run make node");
    }

    @Test
    void substitutionsReplaceEveryPlaceholderAndRefuseMissingOnes() {
        assertThat(DefinitionSubstitutions.apply("{\"a\":\"${X}\",\"b\":\"${Y}-${X}\"}", Map.of("X", "1", "Y", "$2")))
                .isEqualTo("{\"a\":\"1\",\"b\":\"$2-1\"}");
        assertThatThrownBy(() -> DefinitionSubstitutions.apply("${X}${Z}", Map.of("X", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[Z]");
    }
}
