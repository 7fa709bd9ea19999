package io.scaflow.flow;

import static io.scaflow.flow.FlowKit.T0;
import static io.scaflow.flow.FlowKit.event;
import static io.scaflow.flow.FlowKit.json;
import static io.scaflow.flow.FlowKit.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.input.InvalidInputException;
import io.scaflow.shine.FakeShine;
import io.scaflow.core.Secret;
import io.scaflow.shine.ShineClientException;
import io.scaflow.shine.ShineRateLimitedException;
import io.scaflow.shine.ShineUnavailableException;
import io.scaflow.store.ErrorCode;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.KnownActionRequest;
import io.scaflow.testing.LambdaEvents;
import io.scaflow.testing.Repository;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Step 1's decisions: when an action request is created, what the flow records of it, and what goes wrong. */
class CreateActionRequestHandlerTest {

    /** The template's default {@code UserTokenSecretPrefix}: a console execution's secret is this + its uid. */
    private static final String PREFIX = "scaflow/users/";
    private static final String CONSOLE_INPUT = consoleInput("u-1", PREFIX + "u-1");

    private final FlowKit kit = new FlowKit(Map.of("USER_TOKEN_SECRET_PREFIX", PREFIX));
    private final CreateActionRequestHandler handler = new CreateActionRequestHandler(kit.services);

    @Test
    void aPendingFlowGetsItsFirstActionRequestAndWaitsThePollInterval() {
        kit.pending("f-1");

        JsonNode result = run(handler, event("f-1"));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
        assertThat(flow.attempt()).isEqualTo(1);
        assertThat(flow.actionRequestId()).isEqualTo("ar-1");
        assertThat(flow.awaitingSince()).isEqualTo(T0);
        assertThat(flow.expiresAt()).isEqualTo(T0.plus(FakeShine.LIFETIME));
        assertThat(flow.reminderDue()).isFalse();
        assertThat(kit.shine.creates()).singleElement().satisfies(create -> {
            assertThat(create.action()).isEqualTo(FlowKit.ACTION);
            assertThat(create.uid()).isEqualTo(FlowKit.UID);
            assertThat(create.payload().toString()).isEqualTo(FlowKit.payload().toString());
        });
        assertThat(result).isEqualTo(json("{\"flowId\": \"f-1\", \"status\": \"AWAITING_CONFIRMATION\", \"attempt\": 1,"
                + " \"waitSeconds\": 2, \"pollCount\": 0, \"renew\": false, \"pollAgain\": false}"));
    }

    @Test
    void anExpiredFlowWithAttemptsLeftIsRenewedWithANewRequestBesideTheOldOne() {
        kit.awaiting("f-1");
        kit.move("f-1", FlowStatus.EXPIRED);
        kit.clock.advanceSeconds(61);

        JsonNode result = run(handler, event("f-1"));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
        assertThat(flow.attempt()).isEqualTo(2);
        assertThat(flow.actionRequestId()).isEqualTo("ar-2");
        assertThat(flow.awaitingSince()).isEqualTo(T0.plusSeconds(61));
        assertThat(flow.actionRequests()).extracting(KnownActionRequest::id).containsExactly("ar-1", "ar-2");
        assertThat(result.path("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void anExpiredFlowWithNoAttemptLeftGetsNoNewRequest() {
        FlowKit oneAttempt = new FlowKit(Map.of("MAX_ATTEMPTS", "1"));
        oneAttempt.awaiting("f-1");
        oneAttempt.move("f-1", FlowStatus.EXPIRED);
        int calls = oneAttempt.shine.calls();

        JsonNode result = run(new CreateActionRequestHandler(oneAttempt.services), event("f-1"));

        assertThat(oneAttempt.shine.calls()).isEqualTo(calls);
        assertThat(result.path("status").asText()).isEqualTo("EXPIRED");
        assertThat(result.path("renew").asBoolean()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = FlowStatus.class,
            names = {"AWAITING_CONFIRMATION", "CONFIRMED", "CANCELLED", "FAILED"})
    void aFlowThatIsNotDueForARequestGetsNone(FlowStatus status) {
        kit.awaiting("f-1");
        if (status != FlowStatus.AWAITING_CONFIRMATION) {
            kit.move("f-1", status);
        }
        int calls = kit.shine.calls();

        JsonNode result = run(handler, event("f-1"));

        assertThat(kit.shine.calls()).isEqualTo(calls);
        assertThat(result.path("status").asText()).isEqualTo(status.name());
    }

    @Test
    void aRequestCreatedWhileTheFlowWasCancelledIsStillListed() {
        kit.pending("f-1");
        kit.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.PENDING,
                FlowChange.to(FlowStatus.CANCELLED, "cancelled through the API")));

        JsonNode result = run(handler, event("f-1"));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.CANCELLED);
        assertThat(flow.actionRequests()).extracting(KnownActionRequest::id).containsExactly("ar-1");
        assertThat(result.path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aDuplicateInvocationThatRenewedFirstKeepsItsAttemptAndThisRequestIsListedBeside() {
        kit.awaiting("f-1");
        kit.move("f-1", FlowStatus.EXPIRED);
        kit.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.EXPIRED,
                FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "the other invocation")
                        .actionRequest("ar-other", 2, kit.clock.instant(), kit.clock.instant().plusSeconds(60))));

        run(handler, event("f-1"));

        Flow flow = kit.get("f-1");
        assertThat(flow.attempt()).isEqualTo(2);
        assertThat(flow.actionRequestId()).isEqualTo("ar-other");
        assertThat(flow.openActionRequests()).extracting(KnownActionRequest::id).containsExactly("ar-1", "ar-other", "ar-2");
    }

    @Test
    void aRefusalFromShineFailsTheStepAndLeavesTheFlowPending() {
        kit.pending("f-1");
        kit.shine.failNextCreate(FakeShine.refused(400));

        assertThatThrownBy(() -> run(handler, event("f-1"))).isInstanceOf(ShineClientException.class);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.PENDING);
        assertThat(kit.get("f-1").actionRequests()).isEmpty();
    }

    @Test
    void anUnavailableShineFailsTheStepForTheStateMachineToRetry() {
        kit.pending("f-1");
        kit.shine.failNextCreate(FakeShine.unavailable());

        assertThatThrownBy(() -> run(handler, event("f-1"))).isInstanceOf(ShineUnavailableException.class);
        assertThat(kit.shine.creates()).hasSize(1);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.PENDING);
    }

    @Test
    void aShortRateLimitIsWaitedOutAndTheCreateMadeOnceMore() {
        kit.pending("f-1");
        kit.shine.failNextCreate(FakeShine.rateLimited(Duration.ZERO));

        run(handler, event("f-1"));

        assertThat(kit.shine.creates()).hasSize(2);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
    }

    @Test
    void aLongRateLimitGoesToTheStateMachine() {
        kit.pending("f-1");
        kit.shine.failNextCreate(FakeShine.rateLimited(RateLimits.MAX_WAIT.plusSeconds(1)));

        assertThatThrownBy(() -> run(handler, event("f-1"))).isInstanceOf(ShineRateLimitedException.class);
        assertThat(kit.shine.creates()).hasSize(1);
    }

    @ParameterizedTest
    @EnabledIf(Repository.PRESENT)
    @Event(value = "../events/create-action-request.json", type = Map.class)
    void aConsoleFlowIsRecordedFromTheExecutionInputWithTheTokenFromSecretsManager(Map<String, Object> event) {
        kit.secrets.put(PREFIX + "USER_ID", "{\"accessToken\": \"at-from-secrets-manager\"}");

        JsonNode result = run(handler, LambdaEvents.bytes(event), null);

        Flow flow = kit.get("flow-0001");
        assertThat(flow.status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
        assertThat(flow.accessToken()).contains(Secret.of("at-from-secrets-manager"));
        assertThat(flow.owner()).isEqualTo("console");
        assertThat(flow.payload().path("bankTransferRecipientId").asText()).isEqualTo("BANK_TRANSFER_RECIPIENT_ID");
        assertThat(kit.secrets.reads()).containsExactly(PREFIX + "USER_ID");
        assertThat(result.path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
    }

    @Test
    void aConsoleFlowRecordedMeanwhileByAnotherInvocationIsTheOneUsed() {
        kit.secrets.put(PREFIX + "u-1", "{\"accessToken\": \"mine\"}");
        kit.flows.beforeNextCreate(store -> store.create(Flow.pending("f-1", FlowKit.ACTION, "u-1", FlowKit.payload(),
                Secret.of("theirs"), kit.clock.instant())));

        run(handler, event("f-1", "input", CONSOLE_INPUT));

        assertThat(kit.get("f-1").accessToken()).contains(Secret.of("theirs"));
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
        assertThat(kit.shine.creates()).hasSize(1);
    }

    @Test
    void aRefusedConsoleInputLeavesAFlowRecordedMeanwhileAlone() {
        kit.flows.beforeNextCreate(store -> store.create(Flow.pending("f-1", FlowKit.ACTION, "u-1", FlowKit.payload(),
                Secret.of("theirs"), kit.clock.instant())));

        assertThatThrownBy(() -> run(handler, event("f-1", "input", "{\"action\": \"bank:transfers:create\"}")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.PENDING);
        assertThat(kit.get("f-1").accessToken()).contains(Secret.of("theirs"));
    }

    @Test
    void aConsoleInputCarryingAnAccessTokenIsRefusedAndRecordedFailedWithoutIt() {
        String input = "{\"action\": \"bank:transfers:create\", \"uid\": \"u-1\", \"accessToken\": \"leaked-token\","
                + " \"payload\": {\"amount\": 1, \"bankTransferRecipientId\": \"r-1\", \"uid\": \"u-1\"}}";

        assertThatThrownBy(() -> run(handler, event("f-1", "input", input)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.field()).isEqualTo("accessToken")));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.FAILED);
        assertThat(flow.error().code()).isEqualTo(ErrorCode.INVALID_INPUT.code());
        assertThat(flow.accessToken()).isEmpty();
        assertThat(flow.toString() + flow.error().message()).doesNotContain("leaked-token");
        assertThat(kit.shine.calls()).isZero();
        assertThat(kit.secrets.reads()).isEmpty();
    }

    @Test
    void aConsoleInputWithAnUnknownActionIsRecordedFailedNamingTheField() {
        String input = "{\"action\": \"bank:nothing:here\", \"uid\": \"u-1\", \"accessTokenSecretId\": \"scaflow/users/u-1\","
                + " \"payload\": {\"amount\": 1, \"bankTransferRecipientId\": \"r-1\", \"uid\": \"u-1\"}}";

        assertThatThrownBy(() -> run(handler, event("f-1", "input", input))).isInstanceOf(InvalidInputException.class);

        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
        assertThat(kit.get("f-1").action()).isEqualTo("bank:nothing:here");
        assertThat(kit.get("f-1").error().message()).contains("action");
    }

    @Test
    void aConsoleInputWithoutItsSecretIdIsRecordedFailed() {
        String input = "{\"action\": \"bank:transfers:create\", \"uid\": \"u-1\","
                + " \"payload\": {\"amount\": 1, \"bankTransferRecipientId\": \"r-1\", \"uid\": \"u-1\"}}";

        assertThatThrownBy(() -> run(handler, event("f-1", "input", input)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("accessTokenSecretId"));
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {PREFIX + "u-2", PREFIX + "u-1-extra", "scaflow/other/u-1", "u-1",
            "arn:aws:secretsmanager:eu-west-3:123456789012:secret:scaflow/users/u-1"})
    void aConsoleInputNamingAnotherSecretThanItsUidsIsRecordedFailedAndNoSecretIsRead(String secretId) {
        kit.secrets.put(secretId, "{\"accessToken\": \"someone-elses-token\"}");

        assertThatThrownBy(() -> run(handler, event("f-1", "input", consoleInput("u-1", secretId))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo("accessTokenSecretId")));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.FAILED);
        assertThat(flow.error().code()).isEqualTo(ErrorCode.INVALID_INPUT.code());
        assertThat(flow.error().message()).contains(PREFIX + "u-1");
        assertThat(flow.accessToken()).isEmpty();
        assertThat(flow.owner()).isEqualTo("console");
        assertThat(kit.secrets.reads()).isEmpty();
        assertThat(kit.shine.calls()).isZero();
    }

    @Test
    void consoleInputsAreRefusedWithoutATokenSecretPrefixConfigured() {
        FlowKit unconfigured = new FlowKit();
        unconfigured.secrets.put(PREFIX + "u-1", "{\"accessToken\": \"mine\"}");

        assertThatThrownBy(() -> run(new CreateActionRequestHandler(unconfigured.services), event("f-1", "input", CONSOLE_INPUT)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.getMessage()).contains("accessTokenSecretId").contains("USER_TOKEN_SECRET_PREFIX"));

        assertThat(unconfigured.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
        assertThat(unconfigured.secrets.reads()).isEmpty();
        assertThat(unconfigured.shine.calls()).isZero();
    }

    @Test
    void anUnrecordedFlowWithoutAnInputObjectIsRefusedAndNothingIsRecorded() {
        assertThatThrownBy(() -> run(handler, event("f-1", "input", "\"not an object\"")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("input"));
        assertThatThrownBy(() -> run(handler, event("f-2"))).isInstanceOf(InvalidInputException.class);
        assertThat(kit.flows.find("f-1")).isEmpty();
        assertThat(kit.flows.find("f-2")).isEmpty();
    }

    /** A console execution's input for {@code uid}, naming the token secret {@code secretId}. */
    private static String consoleInput(String uid, String secretId) {
        return "{\"action\": \"bank:transfers:create\", \"uid\": \"" + uid + "\", \"accessTokenSecretId\": \"" + secretId
                + "\", \"payload\": {\"amount\": 1, \"bankTransferRecipientId\": \"r-1\", \"uid\": \"" + uid + "\"}}";
    }
}
