package io.scaflow.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.shine.ActionRequest;
import io.scaflow.shine.ActionRequestStatus;
import io.scaflow.core.Secret;
import io.scaflow.store.KnownActionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What one poll step's answers decide when a flow has several action requests. */
class PollRoundTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(60);

    private final PollRound round = new PollRound(TOKEN_LIFETIME);
    private final KnownActionRequest first = open("ar-1", T0.plusSeconds(60));
    private final KnownActionRequest second = open("ar-2", T0.plusSeconds(65));
    private final Map<String, PollRound.Answer> answers = new HashMap<>();

    @Test
    void theConfirmedRequestWinsWhicheverItIs() {
        answer(first, ActionRequestStatus.PENDING, T0.plusSeconds(10));
        answer(second, ActionRequestStatus.CONFIRMED, T0.plusSeconds(10));

        PollRound.Verdict verdict = round.judge(List.of(first, second), answers, T0.plusSeconds(10));

        assertThat(verdict.outcome()).isEqualTo(PollRound.Outcome.CONFIRMED);
        assertThat(verdict.confirmed()).map(ActionRequest::id).contains("ar-2");
    }

    @Test
    void confirmedWithoutItsTokenIsPolledAgain() {
        answers.put(first.id(), new PollRound.Answer(request(first, ActionRequestStatus.CONFIRMED, Optional.empty()),
                T0.plusSeconds(70)));

        PollRound.Verdict verdict = round.judge(List.of(first), answers, T0.plusSeconds(70));

        assertThat(verdict.outcome()).isEqualTo(PollRound.Outcome.WAITING);
        assertThat(verdict.expired()).isEmpty();
    }

    @Test
    void aRejectionWhileAnotherRequestIsOpenKeepsTheFlowWaiting() {
        answer(first, ActionRequestStatus.REJECTED, T0.plusSeconds(10));
        answer(second, ActionRequestStatus.PENDING, T0.plusSeconds(10));

        PollRound.Verdict verdict = round.judge(List.of(first, second), answers, T0.plusSeconds(10));

        assertThat(verdict.outcome()).isEqualTo(PollRound.Outcome.WAITING);
        assertThat(verdict.rejected()).containsExactly("ar-1");
    }

    @Test
    void theFlowIsRejectedOnceNoOtherRequestIsOpen() {
        KnownActionRequest rejectedBefore = first.withState(KnownActionRequest.State.REJECTED);
        answer(second, ActionRequestStatus.PENDING, T0.plusSeconds(66));

        PollRound.Verdict verdict = round.judge(List.of(rejectedBefore, second), answers, T0.plusSeconds(66));

        assertThat(verdict.outcome()).isEqualTo(PollRound.Outcome.REJECTED);
        assertThat(verdict.expired()).containsExactly("ar-2");
    }

    @Test
    void theFlowExpiresOnlyWhenEveryRequestHas() {
        answer(first, ActionRequestStatus.PENDING, T0.plusSeconds(62));
        answer(second, ActionRequestStatus.PENDING, T0.plusSeconds(62));

        PollRound.Verdict waiting = round.judge(List.of(first, second), answers, T0.plusSeconds(62));

        assertThat(waiting.outcome()).isEqualTo(PollRound.Outcome.WAITING);
        assertThat(waiting.expired()).containsExactly("ar-1");

        answer(second, ActionRequestStatus.PENDING, T0.plusSeconds(66));
        PollRound.Verdict expired = round.judge(List.of(first.withState(KnownActionRequest.State.EXPIRED),
                second), answers, T0.plusSeconds(66));
        assertThat(expired.outcome()).isEqualTo(PollRound.Outcome.EXPIRED);
        assertThat(expired.expired()).containsExactly("ar-2");
    }

    @Test
    void expiryIsJudgedFromWhenThePollWasSentNotWhenItWasRead() {
        answer(first, ActionRequestStatus.PENDING, T0.plusSeconds(59));

        PollRound.Verdict verdict = round.judge(List.of(first), answers, T0.plusSeconds(75));

        assertThat(verdict.outcome()).isEqualTo(PollRound.Outcome.WAITING);
    }

    @Test
    void expiryWaitsForTheMarginAfterExpiresAt() {
        answer(first, ActionRequestStatus.PENDING, T0.plusSeconds(60));
        assertThat(round.judge(List.of(first), answers, T0.plusSeconds(60)).outcome())
                .isEqualTo(PollRound.Outcome.WAITING);

        answer(first, ActionRequestStatus.PENDING, T0.plusSeconds(60).plus(PollRound.EXPIRY_MARGIN));
        assertThat(round.judge(List.of(first), answers, T0.plusSeconds(61)).outcome())
                .isEqualTo(PollRound.Outcome.EXPIRED);
    }

    @Test
    void aConfirmationFoundAfterExpiresAtStillCounts() {
        answer(first, ActionRequestStatus.CONFIRMED, T0.plusSeconds(63));

        assertThat(round.judge(List.of(first), answers, T0.plusSeconds(63)).outcome())
                .isEqualTo(PollRound.Outcome.CONFIRMED);
    }

    @Test
    void aRequestNobodyCouldAnswerIsExpiredOnlyWhenEvenItsTokenWouldBeDead() {
        assertThat(round.judge(List.of(first), answers, T0.plusSeconds(100)).outcome())
                .isEqualTo(PollRound.Outcome.WAITING);
        assertThat(round.judge(List.of(first), answers, T0.plusSeconds(120)).outcome())
                .isEqualTo(PollRound.Outcome.EXPIRED);
        assertThat(round.toPoll(List.of(first), T0.plusSeconds(100), 0)).containsExactly(first);
        assertThat(round.toPoll(List.of(first), T0.plusSeconds(120), 0)).isEmpty();
    }

    @Test
    void settledRequestsAreNotPolledAndTheOthersTakeTurnsBeyondTheLimit() {
        List<KnownActionRequest> six = List.of(open("a", T0.plusSeconds(60)), open("b", T0.plusSeconds(60)),
                open("c", T0.plusSeconds(60)), open("d", T0.plusSeconds(60)), open("e", T0.plusSeconds(60)),
                open("f", T0.plusSeconds(60)).withState(KnownActionRequest.State.REJECTED));

        assertThat(round.toPoll(six, T0, 0)).extracting(KnownActionRequest::id).containsExactly("a", "b", "c", "d");
        assertThat(round.toPoll(six, T0, 1)).extracting(KnownActionRequest::id).containsExactly("e", "a", "b", "c");
        assertThat(round.toPoll(List.of(first, second), T0, 7)).containsExactly(first, second);
    }

    @Test
    void theNextPollComesJustAfterTheEarliestOpenExpiry() {
        assertThat(PollRound.untilNextExpiry(List.of(second, first), T0.plusSeconds(50)))
                .contains(Duration.ofSeconds(11));
        assertThat(PollRound.untilNextExpiry(List.of(first), T0.plusSeconds(62))).isEmpty();
    }

    private void answer(KnownActionRequest known, ActionRequestStatus status, Instant polledAt) {
        Optional<Secret> token = status == ActionRequestStatus.CONFIRMED ? Optional.of(Secret.of("slt")) : Optional.empty();
        answers.put(known.id(), new PollRound.Answer(request(known, status, token), polledAt));
    }

    private static ActionRequest request(KnownActionRequest known, ActionRequestStatus status, Optional<Secret> token) {
        return new ActionRequest(known.id(), "client", "bank:transfers:create", null, "uid", status, status.name(),
                token, T0, T0, known.expiresAt());
    }

    private static KnownActionRequest open(String id, Instant expiresAt) {
        return KnownActionRequest.received(id, 1, expiresAt);
    }
}
