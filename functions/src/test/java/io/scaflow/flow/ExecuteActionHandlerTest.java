package io.scaflow.flow;

import static io.scaflow.flow.FlowKit.T0;
import static io.scaflow.flow.FlowKit.event;
import static io.scaflow.flow.FlowKit.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.core.Secret;
import io.scaflow.json.Json;
import io.scaflow.log.LogLines;
import io.scaflow.log.MetricLines;
import io.scaflow.shine.ActionResult;
import io.scaflow.shine.FakeShine;
import io.scaflow.shine.ShineOutcomeUnknownException;
import io.scaflow.store.ErrorCode;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.Flows;
import io.scaflow.store.Reconciliation;
import io.scaflow.store.StatusChange;
import io.scaflow.testing.LambdaEvents;
import io.scaflow.testing.Repository;
import io.scaflow.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * Step 3's decisions: the action is sent at most once, only with a usable token, only after the flow is EXECUTING;
 * then SUCCEEDED on any 2xx, FAILED when Shine did nothing, OUTCOME_UNKNOWN when it may have done it.
 */
class ExecuteActionHandlerTest {

    private final FlowKit kit = new FlowKit();
    private final ExecuteActionHandler handler = new ExecuteActionHandler(kit.services);

    @Test
    void aConfirmedFlowIsExecutedOnceWithBothTokensAndEndsSucceededWithShinesAnswer() {
        kit.confirmed("f-1");
        kit.clock.advanceSeconds(2);

        JsonNode result = run(handler, event("f-1"));

        assertThat(kit.shine.executions()).singleElement().satisfies(sent -> {
            assertThat(sent.action()).isEqualTo(FlowKit.ACTION);
            assertThat(sent.payload().toString()).isEqualTo(FlowKit.payload().toString());
            assertThat(sent.accessToken()).isEqualTo(Secret.of("access-f-1"));
            assertThat(sent.shortLivedToken()).isEqualTo(Secret.of("slt-ar-1"));
        });
        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(flow.result().path("bankTransferId").asText()).isEqualTo("bt-1");
        assertThat(flow.executedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(flow.accessToken()).isEmpty();
        assertThat(flow.shortLivedToken()).isEmpty();
        assertThat(result.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.toString()).doesNotContain("access-f-1").doesNotContain("slt-");
    }

    @Test
    void theFlowIsExecutingAndItsShortLivedTokenGoneBeforeTheActionLeaves() {
        kit.confirmed("f-1");
        AtomicReference<Flow> whileSent = new AtomicReference<>();
        kit.shine.duringNextExecute(() -> whileSent.set(kit.flows.get("f-1")));

        run(handler, event("f-1"));

        assertThat(whileSent.get().status()).isEqualTo(FlowStatus.EXECUTING);
        assertThat(whileSent.get().shortLivedToken()).isEmpty();
    }

    @Test
    void aSuccessWhoseBodyIsNotAnObjectKeepsNoResult() {
        kit.confirmed("f-1");
        kit.shine.answerExecutes(new ActionResult(200, ActionResult.Shape.OTHER_JSON, Json.MAPPER.createArrayNode().add(1)));

        run(handler, event("f-1"));

        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(kit.get("f-1").result()).isNull();
    }

    @Test
    void aFlowThatIsNotConfirmedIsNotExecuted() {
        kit.awaiting("f-1");

        JsonNode result = run(handler, event("f-1"));

        assertThat(kit.shine.executions()).isEmpty();
        assertThat(result.path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
    }

    @Test
    void aMissingTokenFailsTheFlowAndNothingIsSent() {
        kit.confirmed("f-1");
        kit.flows.direct().change("f-1", FlowStatus.CONFIRMED, FlowChange.keepStatus().forgetSecrets());

        run(handler, event("f-1"));

        assertThat(kit.shine.executions()).isEmpty();
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
        assertThat(kit.get("f-1").error().code()).isEqualTo(ErrorCode.TOKEN_MISSING.code());
    }

    @Test
    void anExpiredShortLivedTokenFailsTheFlowAndNothingIsSent() {
        kit.confirmed("f-1");
        kit.clock.advance(kit.settings.shortLivedTokenLifetime());

        run(handler, event("f-1"));

        assertThat(kit.shine.executions()).isEmpty();
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
        assertThat(kit.get("f-1").error().code()).isEqualTo(ErrorCode.TOKEN_EXPIRED.code());
    }

    @Test
    void aRefusalFromShineFailsTheFlow() {
        kit.confirmed("f-1");
        kit.shine.failNextExecute(FakeShine.refused(422));

        run(handler, event("f-1"));

        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
        assertThat(kit.get("f-1").error().code()).isEqualTo(ErrorCode.SHINE_REJECTED_REQUEST.code());
        assertThat(kit.get("f-1").accessToken()).isEmpty();
    }

    @Test
    void aConnectionNeverMadeFailsTheFlow() {
        kit.confirmed("f-1");
        kit.shine.failNextExecute(FakeShine.unavailable());

        run(handler, event("f-1"));

        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
        assertThat(kit.get("f-1").error().code()).isEqualTo(ErrorCode.SHINE_UNAVAILABLE.code());
    }

    @Test
    void noUsableAnswerLeavesTheOutcomeUnknownAndAnotherInvocationSendsNothing() {
        kit.confirmed("f-1");
        kit.shine.failNextExecute(new ShineOutcomeUnknownException("no answer within 15000 ms", null));

        JsonNode result = run(handler, event("f-1"));
        run(handler, event("f-1"));

        assertThat(result.path("status").asText()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(kit.get("f-1").error().code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN.code());
        assertThat(kit.shine.executions()).hasSize(1);
    }

    @Test
    void anUnexpectedErrorWhileSendingLeavesTheOutcomeUnknown() {
        kit.confirmed("f-1");
        kit.shine.failNextExecute(new IllegalStateException("boom"));

        run(handler, event("f-1"));

        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
        assertThat(kit.get("f-1").error().code()).isEqualTo(ErrorCode.INTERNAL.code());
    }

    @Test
    void aShortRateLimitIsWaitedOutAndTheActionSentOnceMore() {
        kit.confirmed("f-1");
        kit.shine.failNextExecute(FakeShine.rateLimited(Duration.ZERO));

        run(handler, event("f-1"));

        assertThat(kit.shine.executions()).hasSize(2);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.SUCCEEDED);
    }

    @Test
    void aRateLimitIsNotWaitedOutWhenTheFunctionHasNoTimeLeftForAWholeCall() {
        kit.confirmed("f-1");
        kit.shine.failNextExecute(FakeShine.rateLimited(Duration.ZERO));
        int enoughForTheCallButNotTheWrite = (int) kit.shine.executeTimeout().toMillis();

        run(handler, event("f-1").getBytes(StandardCharsets.UTF_8), new TestContext(enoughForTheCallButNotTheWrite));

        assertThat(kit.shine.executions()).hasSize(1);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
        assertThat(kit.get("f-1").error().code()).isEqualTo(ErrorCode.SHINE_RATE_LIMITED.code());
    }

    @Test
    void aRateLimitIsNotWaitedOutWhenTheTokenWouldBeTooCloseToItsExpiry() {
        kit.confirmed("f-1");
        kit.clock.advanceSeconds(56);
        kit.shine.failNextExecute(FakeShine.rateLimited(Duration.ZERO));

        run(handler, event("f-1"));

        assertThat(kit.shine.executions()).hasSize(1);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
    }

    @Test
    void aDuplicateInvocationAfterTheEndSendsNothing() {
        kit.confirmed("f-1");
        run(handler, event("f-1"));

        JsonNode again = run(handler, event("f-1"));

        assertThat(kit.shine.executions()).hasSize(1);
        assertThat(again.path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aDuplicateInvocationThatLostTheWriteSendsNothingAndOutOfTimeLeavesTheFlowToTheStateMachinesRetry() {
        kit.confirmed("f-1");
        kit.flows.beforeNextChange(ExecuteActionHandlerTest::anotherInvocationStartsSending);

        assertThatThrownBy(() -> run(handler, event("f-1").getBytes(StandardCharsets.UTF_8), noTimeToWait()))
                .isExactlyInstanceOf(ExecutionInProgressException.class)
                .hasMessageContaining("f-1").hasMessageContaining("nothing was sent")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("access-f-1").doesNotContain("slt-"));

        assertThat(kit.shine.executions()).isEmpty();
        assertStillTheOtherInvocationsToEnd();
    }

    @Test
    void aDuplicateInvocationThatFindsTheFlowExecutingSendsNothingAndOutOfTimeLeavesItToTheStateMachinesRetry() {
        kit.confirmed("f-1");
        anotherInvocationStartsSending(kit.flows.direct());

        assertThatThrownBy(() -> run(handler, event("f-1").getBytes(StandardCharsets.UTF_8), noTimeToWait()))
                .isExactlyInstanceOf(ExecutionInProgressException.class);

        assertThat(kit.shine.executions()).isEmpty();
        assertStillTheOtherInvocationsToEnd();
    }

    @Test
    void aDuplicateInvocationWhoseWaitingReadDynamoDbThrottlesLeavesItToTheStateMachinesRetry() {
        kit.confirmed("f-1");
        kit.flows.beforeNextChange(store -> {
            anotherInvocationStartsSending(store);
            kit.flows.beforeNextRead(unchanged -> { });
            kit.flows.beforeNextRead(throttled -> {
                throw ProvisionedThroughputExceededException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                                .build()).build();
            });
        });

        assertThatThrownBy(() -> run(handler, event("f-1").getBytes(StandardCharsets.UTF_8), new TestContext(30_000)))
                .isExactlyInstanceOf(ExecutionInProgressException.class);

        assertThat(kit.shine.executions()).isEmpty();
        assertStillTheOtherInvocationsToEnd();
    }

    @Test
    void aDuplicateInvocationThatLostTheWriteAnswersTheOutcomeTheOtherOneRecordsWhileItWaits() {
        kit.confirmed("f-1");
        kit.flows.beforeNextChange(store -> {
            anotherInvocationStartsSending(store);
            kit.flows.beforeNextRead(unchanged -> { });
            kit.flows.beforeNextRead(other -> other.change("f-1", FlowStatus.EXECUTING,
                    FlowChange.to(FlowStatus.SUCCEEDED, "the other invocation's answer")
                            .result(Json.MAPPER.createObjectNode().put("bankTransferId", "bt-other"))));
        });

        JsonNode result = run(handler, event("f-1").getBytes(StandardCharsets.UTF_8), new TestContext(30_000));

        assertThat(kit.shine.executions()).isEmpty();
        assertThat(result.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(kit.get("f-1").result().path("bankTransferId").asText()).isEqualTo("bt-other");
        assertThat(kit.get("f-1").history()).extracting(StatusChange::status)
                .containsOnlyOnce(FlowStatus.EXECUTING, FlowStatus.SUCCEEDED);
    }

    @Test
    void aSuccessAfterTheFlowWasGivenUpAsUnknownIsRecordedAfterAll() {
        kit.confirmed("f-1");
        kit.shine.duringNextExecute(() -> kit.move("f-1", FlowStatus.OUTCOME_UNKNOWN));

        run(handler, event("f-1"));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(flow.history().get(flow.history().size() - 1).reason()).contains("after the flow was marked OUTCOME_UNKNOWN");
    }

    @Test
    void aSuccessThatCanNoLongerBeRecordedFailsTheStepLoudly() {
        kit.confirmed("f-1");
        kit.shine.duringNextExecute(() -> kit.move("f-1", FlowStatus.FAILED));

        assertThatThrownBy(() -> run(handler, event("f-1"))).isInstanceOf(FlowConflictException.class);
        assertThat(kit.shine.executions()).hasSize(1);
    }

    @Test
    void aSuccessAfterAFailedReconciliationIsReportedAsAnErrorAndAMetric() {
        kit.confirmed("f-1");
        kit.shine.duringNextExecute(() -> {
            kit.move("f-1", FlowStatus.OUTCOME_UNKNOWN);
            kit.flows.direct().change("f-1", FlowStatus.OUTCOME_UNKNOWN, FlowChange.reconciled(FlowStatus.FAILED,
                    "reconciled as FAILED by the test", new Reconciliation("arn:aws:iam::1:user/op", null, "none", null)));
        });

        try (MetricLines metrics = new MetricLines(); LogLines logs = new LogLines()) {
            assertThatThrownBy(() -> run(handler, event("f-1"))).isInstanceOf(FlowConflictException.class);

            assertThat(metrics.named("SuccessAfterFailedReconciliation")).hasSize(1);
            assertThat(logs.all()).anySatisfy(line -> {
                assertThat(line.path("level").asText()).isEqualTo("ERROR");
                assertThat(line.path("message").asText()).contains("reconciled FAILED");
                assertThat(line.path("flowId").asText()).isEqualTo("f-1");
            });
        }
        assertThat(kit.get("f-1").status()).as("a person's decision is not overwritten").isEqualTo(FlowStatus.FAILED);
    }

    @Test
    void aSuccessAfterAnotherEndIsNotReportedAsAReconciliationsMistake() {
        kit.confirmed("f-1");
        kit.shine.duringNextExecute(() -> kit.move("f-1", FlowStatus.FAILED));

        try (MetricLines metrics = new MetricLines()) {
            assertThatThrownBy(() -> run(handler, event("f-1"))).isInstanceOf(FlowConflictException.class);

            assertThat(metrics.named("SuccessAfterFailedReconciliation")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnabledIf(Repository.PRESENT)
    @Event(value = "../events/execute-action.json", type = Map.class)
    void theSampleEventExecutesTheFlowItNames(Map<String, Object> event) {
        kit.confirmed("flow-0001");

        JsonNode result = run(handler, LambdaEvents.bytes(event), new TestContext(30_000));

        assertThat(result.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(kit.shine.executions()).hasSize(1);
    }

    /** What the sending invocation writes first: CONFIRMED → EXECUTING, its short-lived token taken. */
    private static void anotherInvocationStartsSending(Flows store) {
        store.change("f-1", FlowStatus.CONFIRMED,
                FlowChange.to(FlowStatus.EXECUTING, "the other invocation sends").forgetShortLivedToken());
    }

    /** A context whose time left is only what a waiting invocation keeps to answer: it cannot wait at all. */
    private static TestContext noTimeToWait() {
        return new TestContext((int) ExecuteActionHandler.RETURN_RESERVE.toMillis());
    }

    /** The flow is still EXECUTING (not marked OUTCOME_UNKNOWN, nothing recorded by the duplicate). */
    private void assertStillTheOtherInvocationsToEnd() {
        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.EXECUTING);
        assertThat(flow.error()).isNull();
        assertThat(flow.history()).extracting(StatusChange::status).containsOnlyOnce(FlowStatus.EXECUTING)
                .doesNotContain(FlowStatus.OUTCOME_UNKNOWN, FlowStatus.FAILED);
    }
}
