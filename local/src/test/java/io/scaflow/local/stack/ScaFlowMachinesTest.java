package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.stack.StubLambda.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The real definitions of statemachine/ (the Standard parent and its Express follow-up) on the local Step Functions
 * service, against stub step functions: the order of the calls, what each gets, and what the parent routes on.
 */
class ScaFlowMachinesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FN = "arn:aws:lambda:eu-west-3:123456789012:function:";
    private static final String STEP = "{\"flowId\":\"%s\",\"status\":\"%s\",\"attempt\":1,\"waitSeconds\":2,"
            + "\"pollCount\":%d,\"renew\":false,\"pollAgain\":%b}";

    private static StubLambda lambda;
    private static LocalStepFunctions sfn;
    private static SfnClient client;

    @BeforeAll
    static void startServices() {
        lambda = new StubLambda();
        sfn = LocalStepFunctions.start(lambda.endpoint());
        client = LocalAws.sfn(sfn.endpoint());
        sfn.overrideWaitTimes(Map.of("WaitForUser", 1L));
        sfn.overrideRetryIntervals(Map.of("CreateActionRequest", 5L, "PollActionRequest", 5L, "RecordFailure", 5L));
    }

    @AfterAll
    static void stopServices() {
        client.close();
        sfn.close();
        lambda.close();
    }

    /** The two machines, their functions named {@code prefix}Create, ...; returns the parent's ARN. */
    private static String register(String prefix) {
        String child = sfn.registerStateMachine(prefix + "Follow", DefinitionSubstitutions.apply(
                read("follow-action-request.asl.json"), Map.of("PollActionRequestFunctionArn", FN + prefix + "Poll")),
                LocalStepFunctions.Type.EXPRESS);
        return sfn.registerStateMachine(prefix + "ScaFlow", DefinitionSubstitutions.apply(read("sca-flow.asl.json"),
                Map.of("CreateActionRequestFunctionArn", FN + prefix + "Create",
                        "ExecuteActionFunctionArn", FN + prefix + "Execute",
                        "RecordFailureFunctionArn", FN + prefix + "RecordFailure",
                        "FollowActionRequestStateMachineArn", child)));
    }

    @Test
    void createThenPollsInTheChildThenExecute() throws Exception {
        String arn = register("Ok");
        lambda.on("OkCreate", p -> Answer.ok(STEP.formatted(p.path("flowId").asText(), "AWAITING_CONFIRMATION", 0,
                false)));
        AtomicInteger polls = new AtomicInteger();
        lambda.on("OkPoll", p -> {
            int n = polls.incrementAndGet();
            // the second poll hands the flow back (its budget spent): the parent starts a second child
            return Answer.ok(STEP.formatted(p.path("flowId").asText(), n < 3 ? "AWAITING_CONFIRMATION" : "CONFIRMED",
                    n, n == 1));
        });
        lambda.on("OkExecute", p -> Answer.ok(STEP.formatted(p.path("flowId").asText(), "SUCCEEDED", 3, false)));

        String executionArn = client.startExecution(b -> b.stateMachineArn(arn).name("flow-1")
                .input("{\"action\":\"transfer\",\"uid\":\"u-1\",\"payload\":{},\"accessTokenSecretId\":\"s\"}"))
                .executionArn();
        DescribeExecutionResponse done = awaitEnd(executionArn);

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(MAPPER.readTree(done.output()).path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode create = lambda.calls("OkCreate").get(0).payload();
        assertThat(create.path("flowId").asText()).isEqualTo("flow-1");
        assertThat(create.path("input").path("uid").asText()).isEqualTo("u-1");
        assertThat(lambda.calls("OkPoll")).extracting(c -> c.payload().path("pollCount").asInt())
                .containsExactly(0, 1, 2);
        assertThat(lambda.calls("OkPoll")).allSatisfy(c -> {
            assertThat(c.payload().path("flowId").asText()).isEqualTo("flow-1");
            assertThat(c.payload().path("followedSince").asText()).isNotBlank();
        });
        assertThat(lambda.calls("OkExecute")).singleElement()
                .satisfies(c -> assertThat(c.payload().path("flowId").asText()).isEqualTo("flow-1"));
        assertThat(client.getExecutionHistory(b -> b.executionArn(executionArn)).events())
                .filteredOn(e -> e.stateEnteredEventDetails() != null)
                .extracting(e -> e.stateEnteredEventDetails().name())
                .containsExactly("CreateActionRequest", "FollowActionRequest", "RouteOnStatus", "FollowActionRequest",
                        "RouteOnStatus", "ExecuteAction", "RouteOnExecution", "Succeeded");
    }

    @Test
    void theFailureIsRecordedWhenCreateKeepsFailing() {
        String arn = register("Fails");
        lambda.on("FailsCreate", p -> Answer.error("io.scaflow.shine.ShineUnavailableException", "down"));
        lambda.on("FailsRecordFailure", p -> Answer.ok("{\"flowId\":\"" + p.path("flowId").asText()
                + "\",\"status\":\"FAILED\",\"attempt\":1,\"waitSeconds\":0,\"pollCount\":0,\"renew\":false,"
                + "\"pollAgain\":false}"));
        String executionArn = client.startExecution(b -> b.stateMachineArn(arn).name("flow-fails")).executionArn();
        DescribeExecutionResponse done = awaitEnd(executionArn);

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("Scaflow.ActionFailed");
        assertThat(lambda.calls("FailsCreate")).hasSize(4); // first call + 3 retries
        JsonNode recorded = lambda.calls("FailsRecordFailure").get(0).payload();
        assertThat(recorded.path("error").path("Error").asText()).isEqualTo("io.scaflow.shine.ShineUnavailableException");
    }

    @Test
    void aFailingPollFailsTheChildAndTheParentRecordsTheChildsDescription() {
        String arn = register("PollFails");
        lambda.on("PollFailsCreate", p -> Answer.ok(STEP.formatted(p.path("flowId").asText(),
                "AWAITING_CONFIRMATION", 0, false)));
        lambda.on("PollFailsPoll", p -> Answer.error("java.lang.IllegalStateException", "broken"));
        lambda.on("PollFailsRecordFailure", p -> Answer.ok("{\"flowId\":\"" + p.path("flowId").asText()
                + "\",\"status\":\"FAILED\",\"attempt\":1,\"waitSeconds\":0,\"pollCount\":0,\"renew\":false,"
                + "\"pollAgain\":false}"));
        String executionArn = client.startExecution(b -> b.stateMachineArn(arn).name("flow-poll-fails")).executionArn();
        DescribeExecutionResponse done = awaitEnd(executionArn);

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        JsonNode error = lambda.calls("PollFailsRecordFailure").get(0).payload().path("error");
        assertThat(error.path("Error").asText()).isEqualTo("States.TaskFailed");
        JsonNode child = json(error.path("Cause").asText());
        assertThat(child.path("Status").asText()).isEqualTo("FAILED");
        assertThat(child.path("Error").asText()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void aPollThatAwsThrottledIsMadeAgainAndTheFlowGoesOn() {
        String arn = register("Throttled");
        lambda.on("ThrottledCreate", p -> Answer.ok(STEP.formatted(p.path("flowId").asText(),
                "AWAITING_CONFIRMATION", 0, false)));
        AtomicInteger polls = new AtomicInteger();
        lambda.on("ThrottledPoll", p -> polls.incrementAndGet() <= 2
                ? Answer.error("io.scaflow.flow.AwsUnavailableException", "throttled")
                : Answer.ok(STEP.formatted(p.path("flowId").asText(), "CONFIRMED", 1, false)));
        lambda.on("ThrottledExecute", p -> Answer.ok(STEP.formatted(p.path("flowId").asText(), "SUCCEEDED", 1,
                false)));
        AtomicInteger records = new AtomicInteger();
        lambda.on("ThrottledRecordFailure", p -> {
            records.incrementAndGet();
            return Answer.error("io.scaflow.flow.AwsUnavailableException", "throttled");
        });
        String executionArn = client.startExecution(b -> b.stateMachineArn(arn).name("flow-throttled"))
                .executionArn();

        assertThat(awaitEnd(executionArn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(lambda.calls("ThrottledPoll")).hasSize(3);   // two throttled, one answered
        assertThat(records).hasValue(0);
    }

    @Test
    void recordingAFailureAwsThrottledIsMadeAgain() {
        String arn = register("RecordThrottled");
        lambda.on("RecordThrottledCreate", p -> Answer.error("io.scaflow.shine.ShineClientException", "refused"));
        AtomicInteger records = new AtomicInteger();
        lambda.on("RecordThrottledRecordFailure", p -> records.incrementAndGet() == 1
                ? Answer.error("io.scaflow.flow.AwsUnavailableException", "throttled")
                : Answer.ok("{\"flowId\":\"" + p.path("flowId").asText() + "\",\"status\":\"FAILED\",\"attempt\":1,"
                        + "\"waitSeconds\":0,\"pollCount\":0,\"renew\":false,\"pollAgain\":false}"));
        String executionArn = client.startExecution(b -> b.stateMachineArn(arn).name("flow-record-throttled"))
                .executionArn();
        DescribeExecutionResponse done = awaitEnd(executionArn);

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("Scaflow.ActionFailed");
        assertThat(records).hasValue(2);
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

    private static String read(String file) {
        try {
            return Files.readString(RepoRoot.find().resolve("statemachine").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
