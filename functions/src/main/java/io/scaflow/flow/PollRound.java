package io.scaflow.flow;

import io.scaflow.shine.ActionRequest;
import io.scaflow.shine.ActionRequestStatus;
import io.scaflow.store.KnownActionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One poll step over a flow's open action requests, without I/O: which requests to poll, and what their answers
 * decide for the flow. The rules are those of docs/design.md, "Every action request of a flow":
 * <ul>
 *   <li>the first request seen CONFIRMED with its token wins;</li>
 *   <li>a request is expired only when a poll made at least {@link #EXPIRY_MARGIN} after its {@code expiresAt}
 *       did not find it confirmed, or when even a confirmation could no longer give a usable token (its
 *       {@code expiresAt} plus the token's lifetime has passed);</li>
 *   <li>REJECTED or expired settles one request; the flow waits while any other is open, then ends REJECTED if
 *       the user rejected one, else EXPIRED.</li>
 * </ul>
 */
final class PollRound {

    /** At most this many requests are polled in one step (a hedged create gives 2, a duplicate invocation 2 more). */
    static final int MAX_POLLS = 4;
    /** Allowance for the clocks of Shine and scaflow: expiry is judged this long after {@code expiresAt}. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(1);

    /** What Shine answered for one request, and when the poll was sent. */
    record Answer(ActionRequest request, Instant polledAt) {
    }

    enum Outcome {
        /** A request is confirmed and its token known: the flow moves to CONFIRMED with it. */
        CONFIRMED,
        /** Some request is still open. */
        WAITING,
        /** No request is open and the user rejected one. */
        REJECTED,
        /** No request is open and none was rejected. */
        EXPIRED
    }

    /**
     * @param confirmed the winning answer when CONFIRMED
     * @param rejected  requests this round found rejected
     * @param expired   requests this round found expired
     */
    record Verdict(Outcome outcome, Optional<ActionRequest> confirmed, List<String> rejected, List<String> expired) {

        boolean settledAny() {
            return !rejected.isEmpty() || !expired.isEmpty();
        }
    }

    private final Duration tokenLifetime;

    PollRound(Duration tokenLifetime) {
        this.tokenLifetime = tokenLifetime;
    }

    /**
     * The open requests worth polling at {@code now}: those whose confirmation could still give a usable token. At
     * most {@link #MAX_POLLS}; when more are open, the window moves on with each poll so every one gets its turn.
     */
    List<KnownActionRequest> toPoll(List<KnownActionRequest> open, Instant now, int pollCount) {
        List<KnownActionRequest> worth = open.stream().filter(r -> r.isOpen() && !pastUse(r, now)).toList();
        if (worth.size() <= MAX_POLLS) {
            return worth;
        }
        List<KnownActionRequest> window = new ArrayList<>();
        for (int i = 0; i < MAX_POLLS; i++) {
            window.add(worth.get(Math.floorMod(pollCount * MAX_POLLS + i, worth.size())));
        }
        return window;
    }

    /** What the answers of this round mean for the flow whose requests are {@code known}. */
    Verdict judge(List<KnownActionRequest> known, Map<String, Answer> answers, Instant now) {
        for (KnownActionRequest request : known) {
            Answer answer = answers.get(request.id());
            if (request.isOpen() && answer != null && answer.request().status() == ActionRequestStatus.CONFIRMED
                    && answer.request().token().isPresent()) {
                return new Verdict(Outcome.CONFIRMED, Optional.of(answer.request()), List.of(), List.of());
            }
        }
        List<String> rejected = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        boolean open = false;
        boolean everRejected = false;
        for (KnownActionRequest request : known) {
            if (!request.isOpen()) {
                everRejected |= request.state() == KnownActionRequest.State.REJECTED;
                continue;
            }
            Answer answer = answers.get(request.id());
            if (answer != null && answer.request().status() == ActionRequestStatus.REJECTED) {
                rejected.add(request.id());
                everRejected = true;
            } else if (answer != null ? expiredAt(answer) : pastUse(request, now)) {
                expired.add(request.id());
            } else {
                open = true;
            }
        }
        Outcome outcome = open ? Outcome.WAITING : everRejected ? Outcome.REJECTED : Outcome.EXPIRED;
        return new Verdict(outcome, Optional.empty(), rejected, expired);
    }

    /**
     * How long until an open request reaches the moment its expiry can be judged, if one has yet to: the next poll
     * should not come much later than that.
     */
    static Optional<Duration> untilNextExpiry(List<KnownActionRequest> open, Instant now) {
        return open.stream().filter(KnownActionRequest::isOpen).map(KnownActionRequest::expiresAt)
                .filter(at -> at != null && at.plus(EXPIRY_MARGIN).isAfter(now))
                .map(at -> Duration.between(now, at.plus(EXPIRY_MARGIN)))
                .min(Duration::compareTo);
    }

    /** A poll sent after expiresAt (and the margin) that did not find the request confirmed: it never will be. */
    private static boolean expiredAt(Answer answer) {
        ActionRequest request = answer.request();
        return request.status() != ActionRequestStatus.CONFIRMED && request.expiresAt() != null
                && !answer.polledAt().isBefore(request.expiresAt().plus(EXPIRY_MARGIN));
    }

    /** Even a confirmation now would come with a token that is no longer usable. */
    private boolean pastUse(KnownActionRequest request, Instant now) {
        return request.expiresAt() != null && !now.isBefore(request.expiresAt().plus(tokenLifetime));
    }
}
