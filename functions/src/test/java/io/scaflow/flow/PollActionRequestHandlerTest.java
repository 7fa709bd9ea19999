package io.scaflow.flow;

import static io.scaflow.flow.FlowKit.T0;
import static io.scaflow.flow.FlowKit.event;
import static io.scaflow.flow.FlowKit.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.shine.ActionRequestStatus;
import io.scaflow.shine.FakeShine;
import io.scaflow.core.Secret;
import io.scaflow.shine.ShineMalformedResponseException;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.KnownActionRequest;
import io.scaflow.testing.LambdaEvents;
import io.scaflow.testing.Repository;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Step 2's decisions: what a poll's answer does to the flow (confirmed, rejected, expired, still waiting, the
 * reminder) and how long the state machine waits before the next poll. Defaults: poll every 2 s, reminder after
 * 30 s, 3 attempts; the fake Shine's requests expire 60 s after their creation.
 */
class PollActionRequestHandlerTest {

    private final FlowKit kit = new FlowKit();
    private final PollActionRequestHandler handler = new PollActionRequestHandler(kit.services);

    @Test
    void aFlowThatIsNotAwaitingConfirmationIsNotPolled() {
        kit.confirmed("f-1");
        int calls = kit.shine.calls();

        JsonNode result = run(handler, event("f-1", "pollCount", "4"));

        assertThat(kit.shine.calls()).isEqualTo(calls);
        assertThat(result.path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(result.path("waitSeconds").asLong()).isZero();
        assertThat(result.path("pollCount").asInt()).isEqualTo(5);
    }

    @Test
    void aPendingRequestIsPolledAgainAfterThePollIntervalAndNothingIsWritten() {
        Flow before = kit.awaiting("f-1");
        kit.clock.advanceSeconds(3);

        JsonNode result = run(handler, event("f-1", "pollCount", "0"));

        assertThat(kit.shine.polls()).containsExactly("ar-1");
        assertThat(result.path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(result.path("waitSeconds").asLong()).isEqualTo(2);
        assertThat(result.path("pollCount").asInt()).isEqualTo(1);
        assertThat(kit.get("f-1")).isEqualTo(before);
    }

    @Test
    void aConfirmationStoresTheTokenFromShinesUpdateTimeAndKeepsItOutOfTheOutput() {
        kit.awaiting("f-1");
        kit.clock.advanceSeconds(10);
        kit.shine.confirm("ar-1", T0.plusSeconds(8));

        JsonNode result = run(handler, event("f-1", "pollCount", "3"));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.CONFIRMED);
        assertThat(flow.shortLivedToken()).contains(Secret.of("slt-ar-1"));
        assertThat(flow.confirmedAt()).isEqualTo(T0.plusSeconds(8));
        assertThat(result.path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(result.path("waitSeconds").asLong()).isZero();
        assertThat(result.toString()).doesNotContain("slt-");
    }

    @Test
    void aConfirmationDatedInTheFutureCountsFromNow() {
        kit.awaiting("f-1");
        kit.clock.advanceSeconds(10);
        kit.shine.confirm("ar-1", T0.plusSeconds(40));

        run(handler, event("f-1"));

        assertThat(kit.get("f-1").confirmedAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void aConfirmedAnswerWithoutItsTokenIsPolledAgain() {
        kit.awaiting("f-1");
        kit.shine.answer("ar-1", ActionRequestStatus.CONFIRMED, Optional.empty(), T0);

        JsonNode result = run(handler, event("f-1"));

        assertThat(result.path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(kit.get("f-1").shortLivedToken()).isEmpty();
    }

    @Test
    void aStatusShineDoesNotDocumentIsWaitedOn() {
        kit.awaiting("f-1");
        kit.shine.answer("ar-1", ActionRequestStatus.UNKNOWN, Optional.empty(), T0);

        assertThat(run(handler, event("f-1")).path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
    }

    @Test
    void aRejectionEndsTheFlowAndRemovesItsSecrets() {
        kit.awaiting("f-1");
        kit.shine.reject("ar-1");

        JsonNode result = run(handler, event("f-1"));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.REJECTED);
        assertThat(flow.accessToken()).isEmpty();
        assertThat(flow.actionRequests()).extracting(KnownActionRequest::state).containsExactly(KnownActionRequest.State.REJECTED);
        assertThat(result.path("waitSeconds").asLong()).isZero();
    }

    @Test
    void aPollAfterTheExpiryExpiresTheFlowAndARenewalIsDueWhileAttemptsRemain() {
        kit.awaiting("f-1");
        kit.clock.advanceSeconds(61);

        JsonNode result = run(handler, event("f-1"));

        Flow flow = kit.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.EXPIRED);
        assertThat(flow.accessToken()).isPresent();
        assertThat(result.path("renew").asBoolean()).isTrue();
        assertThat(result.path("waitSeconds").asLong()).isZero();
    }

    @Test
    void aPollJustBeforeTheExpiryMarginDoesNotExpireTheFlow() {
        kit.awaiting("f-1");
        kit.clock.advance(FakeShine.LIFETIME.plus(PollRound.EXPIRY_MARGIN).minusMillis(1));

        assertThat(run(handler, event("f-1")).path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
    }

    @Test
    void theLastAttemptsExpiryEndsTheFlowAndRemovesItsSecrets() {
        FlowKit oneAttempt = new FlowKit(Map.of("MAX_ATTEMPTS", "1"));
        oneAttempt.awaiting("f-1");
        oneAttempt.clock.advanceSeconds(61);

        JsonNode result = run(new PollActionRequestHandler(oneAttempt.services), event("f-1"));

        assertThat(oneAttempt.get("f-1").status()).isEqualTo(FlowStatus.EXPIRED);
        assertThat(oneAttempt.get("f-1").accessToken()).isEmpty();
        assertThat(result.path("renew").asBoolean()).isFalse();
    }

    @Test
    void aRequestWhoseTokenCouldNoLongerBeUsedIsJudgedExpiredWithoutAPoll() {
        kit.awaiting("f-1");
        kit.clock.advance(FakeShine.LIFETIME.plus(kit.settings.shortLivedTokenLifetime()));

        run(handler, event("f-1"));

        assertThat(kit.shine.polls()).isEmpty();
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.EXPIRED);
    }

    @Test
    void theReminderBecomesDueOnceTheAttemptHasWaitedTheDelayAndIsWrittenOnce() {
        kit.awaiting("f-1");
        kit.clock.advanceSeconds(29);
        run(handler, event("f-1"));
        assertThat(kit.get("f-1").reminderDue()).isFalse();

        kit.clock.advanceSeconds(1);
        run(handler, event("f-1"));
        Flow reminded = kit.get("f-1");
        assertThat(reminded.reminderDue()).isTrue();

        kit.clock.advanceSeconds(2);
        run(handler, event("f-1"));
        assertThat(kit.get("f-1").updatedAt()).isEqualTo(reminded.updatedAt());
    }

    @ParameterizedTest(name = "Retry-After {0} s: wait {1} s")
    @CsvSource({"7, 7", "1, 2", "-1, 4"})
    void aRateLimitedPollWaitsShinesRetryAfterOrTwiceTheInterval(int retryAfter, long wait) {
        kit.awaiting("f-1");
        kit.shine.failNextPoll(FakeShine.rateLimited(retryAfter < 0 ? null : Duration.ofSeconds(retryAfter)));

        JsonNode result = run(handler, event("f-1"));

        assertThat(result.path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(result.path("waitSeconds").asLong()).isEqualTo(wait);
    }

    @Test
    void aFailedPollIsMadeAgainAtTheNextIntervalWithoutFailingTheStep() {
        kit.awaiting("f-1");
        kit.shine.failNextPoll(FakeShine.unavailable());

        JsonNode first = run(handler, event("f-1"));
        kit.shine.failNextPoll(new ShineMalformedResponseException("unreadable"));
        JsonNode second = run(handler, event("f-1", "pollCount", "1"));

        assertThat(first.path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(first.path("waitSeconds").asLong()).isEqualTo(2);
        assertThat(second.path("pollCount").asInt()).isEqualTo(2);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
    }

    @Test
    void theNextPollComesJustAfterTheExpiryWhenThatIsSoonerThanTheInterval() {
        FlowKit slow = new FlowKit(Map.of("POLL_INTERVAL_SECONDS", "10"));
        slow.awaiting("f-1");
        slow.clock.advanceSeconds(55);

        JsonNode result = run(new PollActionRequestHandler(slow.services), event("f-1"));

        assertThat(result.path("waitSeconds").asLong()).isEqualTo(6);
    }

    @Test
    void aConfirmationOfALaterRequestOfTheFlowWins() {
        kit.awaiting("f-1");
        String second = kit.shine.createActionRequest(FlowKit.ACTION, FlowKit.UID, FlowKit.payload()).id();
        kit.flows.record("f-1", KnownActionRequest.received(second, 1, T0.plusSeconds(60)));
        kit.shine.confirm(second);

        run(handler, event("f-1"));

        assertThat(kit.shine.polls()).containsExactly("ar-1", second);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.CONFIRMED);
        assertThat(kit.get("f-1").actionRequestId()).isEqualTo(second);
    }

    @Test
    void aRejectionOfOneRequestWaitsWhileAnotherIsOpen() {
        kit.awaiting("f-1");
        String second = kit.shine.createActionRequest(FlowKit.ACTION, FlowKit.UID, FlowKit.payload()).id();
        kit.flows.record("f-1", KnownActionRequest.received(second, 1, T0.plusSeconds(60)));
        kit.shine.reject("ar-1");

        JsonNode result = run(handler, event("f-1"));

        assertThat(result.path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(kit.get("f-1").openActionRequests()).extracting(KnownActionRequest::id).containsExactly(second);
    }

    @Test
    void aConfirmationThatComesAfterTheFlowWasCancelledIsIgnored() {
        kit.awaiting("f-1");
        kit.shine.confirm("ar-1");
        kit.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.AWAITING_CONFIRMATION,
                FlowChange.to(FlowStatus.CANCELLED, "cancelled through the API")));

        JsonNode result = run(handler, event("f-1"));

        assertThat(result.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(result.path("waitSeconds").asLong()).isZero();
        assertThat(kit.get("f-1").shortLivedToken()).isEmpty();
    }

    @ParameterizedTest
    @EnabledIf(Repository.PRESENT)
    @Event(value = "../events/poll-action-request.json", type = Map.class)
    void theSampleEventPollsTheFlowItNames(Map<String, Object> event) {
        kit.awaiting("flow-0001");

        JsonNode result = run(handler, LambdaEvents.bytes(event), null);

        assertThat(kit.shine.polls()).containsExactly("ar-1");
        assertThat(result.path("flowId").asText()).isEqualTo("flow-0001");
        assertThat(result.path("pollCount").asInt()).isEqualTo(1);
    }
}
