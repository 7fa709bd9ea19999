package io.scaflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.log.Log;
import io.scaflow.shine.ActionRequest;
import io.scaflow.shine.ActionRequestStatus;
import io.scaflow.shine.ShineMalformedResponseException;
import io.scaflow.shine.ShineRateLimitedException;
import io.scaflow.shine.ShineUnavailableException;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.KnownActionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Step 2, repeated through Wait states: polls the flow's open action requests once each (usually one; more when a
 * create was made again or invoked twice, see {@link PollRound}) and records what it finds: CONFIRMED (the first
 * request seen confirmed wins; its short-lived token goes to the store, never into the output), REJECTED or EXPIRED
 * once no request is open, or still pending (then the reminder becomes due once the attempt has waited the
 * configured delay). Returns how long to wait before the next poll ({@link PollCadence}; longer after Shine's 429
 * with Retry-After) and whether the follow-up execution should poll again ({@link FollowBudget}). A failed poll
 * (Shine unavailable, an unreadable answer) is made again at the next interval; a request is judged expired only
 * from an answer to a poll sent after its {@code expiresAt}.
 */
public final class PollActionRequestHandler extends StepHandler {

    private static final Log LOG = Log.of(PollActionRequestHandler.class);
    /** No further request is polled in a step once this much time has gone (the function's timeout is 25 s). */
    private static final Duration POLL_BUDGET = Duration.ofSeconds(12);

    public PollActionRequestHandler() {
        this(StepPrimer.registered(StepPrimer.Step.POLL, FlowServices.fromEnvironment()));   // SnapStart: io.scaflow.prime
    }

    public PollActionRequestHandler(FlowServices services) {
        super(services);
    }

    @Override
    protected StepResult handle(String flowId, JsonNode event) {
        int pollCount = event.path("pollCount").asInt(0) + 1;
        Optional<Instant> followedSince = FollowBudget.followedSince(event);
        FlowSettings settings = services.settings();
        Flow flow = services.store().get(flowId);
        if (flow.status() != FlowStatus.AWAITING_CONFIRMATION) {
            return StepResult.of(flow, 0, pollCount, settings);
        }
        PollRound round = new PollRound(settings.shortLivedTokenLifetime());
        Duration wait = PollCadence.interval(settings, flow.awaitingSince(), services.clock().instant());
        boolean rateLimited = false;
        Map<String, PollRound.Answer> answers = new HashMap<>();
        long budgetEnd = System.nanoTime() + POLL_BUDGET.toNanos();
        boolean first = true;
        for (KnownActionRequest known : round.toPoll(flow.openActionRequests(), services.clock().instant(), pollCount)) {
            if (!first && System.nanoTime() - budgetEnd > 0) {
                break;
            }
            first = false;
            Instant polledAt = services.clock().instant();
            try {
                ActionRequest request = services.shine().poll(known.id());
                answers.put(known.id(), new PollRound.Answer(request, polledAt));
                if (request.status() == ActionRequestStatus.CONFIRMED && request.token().isPresent()) {
                    break;
                }
            } catch (ShineRateLimitedException e) {
                Duration retryAfter = e.retryAfter().orElse(wait.multipliedBy(2));
                wait = retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
                rateLimited = true;
                LOG.warn("shine rate limited the poll", "flowId", flowId, "waitSeconds", wait.toSeconds());
                break;
            } catch (ShineUnavailableException | ShineMalformedResponseException e) {
                // A poll is a read: a failed one is simply made again at the next interval.
                LOG.warn("poll failed; polling again", "flowId", flowId, "actionRequestId", known.id(),
                        "error", e.getClass().getSimpleName());
            }
        }
        Instant now = services.clock().instant();
        PollRound.Verdict verdict = round.judge(flow.actionRequests(), answers, now);
        try {
            flow = record(flow, verdict, now);
        } catch (FlowConflictException e) {
            if (verdict.outcome() == PollRound.Outcome.CONFIRMED) {
                LOG.info("confirmation ignored: the flow moved on first", "flowId", flowId,
                        "actionRequestId", verdict.confirmed().get().id(), "status", e.actual());
            } else {
                LOG.info("flow changed while polling", "flowId", flowId, "status", e.actual());
            }
            flow = services.store().get(flowId);
        }
        long waitSeconds = nextWait(flow, wait, rateLimited, now);
        boolean pollAgain = flow.status() == FlowStatus.AWAITING_CONFIRMATION
                && FollowBudget.allows(followedSince, now, waitSeconds);
        return StepResult.polled(flow, waitSeconds, pollCount, settings, pollAgain);
    }

    private Flow record(Flow flow, PollRound.Verdict verdict, Instant now) {
        String id = flow.flowId();
        for (String rejected : verdict.rejected()) {
            LOG.info("action request rejected", "flowId", id, "actionRequestId", rejected);
        }
        switch (verdict.outcome()) {
            case CONFIRMED -> {
                ActionRequest request = verdict.confirmed().get();
                LOG.info("action request confirmed", "flowId", id, "actionRequestId", request.id());
                return services.store().change(id, FlowStatus.AWAITING_CONFIRMATION,
                        FlowChange.to(FlowStatus.CONFIRMED, "confirmed by the user")
                                .confirmed(request.id(), confirmedAt(request, now), request.token().get()));
            }
            case REJECTED -> {
                return services.store().change(id, FlowStatus.AWAITING_CONFIRMATION,
                        FlowChange.to(FlowStatus.REJECTED, "rejected by the user")
                                .settled(verdict.rejected(), verdict.expired())
                                .whileActionRequests(flow.recordedActionRequests()));
            }
            case EXPIRED -> {
                boolean renew = flow.attempt() < services.settings().maxAttempts();
                LOG.info("action request expired", "flowId", id, "attempt", flow.attempt(), "renew", renew);
                FlowChange expired = FlowChange.to(FlowStatus.EXPIRED, "action request " + flow.attempt() + " expired"
                                + (renew ? "; a new one will be created" : "; no attempt left"))
                        .settled(verdict.rejected(), verdict.expired())
                        .whileActionRequests(flow.recordedActionRequests());
                return services.store().change(id, FlowStatus.AWAITING_CONFIRMATION, renew ? expired : expired.endsFlow());
            }
            case WAITING -> {
                FlowChange change = FlowChange.keepStatus().settled(verdict.rejected(), verdict.expired());
                boolean reminder = !flow.reminderDue() && flow.awaitingSince() != null
                        && !now.isBefore(flow.awaitingSince().plus(services.settings().reminderDelay()));
                if (reminder) {
                    LOG.info("confirmation reminder due", "flowId", id);
                    change.reminderDue();
                }
                return reminder || verdict.settledAny()
                        ? services.store().change(id, FlowStatus.AWAITING_CONFIRMATION, change) : flow;
            }
            default -> throw new IllegalStateException("unknown outcome " + verdict.outcome());
        }
    }

    /**
     * When Shine issued the short-lived token, as far as we can tell: its {@code updatedAt}, unless that lies in
     * our future (clock skew). The token's one-minute life is counted from there, not from when we saw it.
     */
    private static Instant confirmedAt(ActionRequest request, Instant now) {
        Instant updatedAt = request.updatedAt();
        return updatedAt != null && updatedAt.isBefore(now) ? updatedAt : now;
    }

    /**
     * Shine's Retry-After when it gave one; otherwise the poll interval, cut short to look again just after an open
     * action request's expiry (and the margin), when its expiry can be judged.
     */
    private static long nextWait(Flow flow, Duration wait, boolean rateLimited, Instant now) {
        if (flow.status() != FlowStatus.AWAITING_CONFIRMATION) {
            return 0;
        }
        long seconds = Math.max(1, wait.toSeconds());
        if (!rateLimited) {
            Optional<Duration> untilExpiry = PollRound.untilNextExpiry(flow.openActionRequests(), now);
            if (untilExpiry.isPresent()) {
                long rounded = (untilExpiry.get().toNanos() + 999_999_999L) / 1_000_000_000L;
                seconds = Math.max(1, Math.min(seconds, rounded));
            }
        }
        return seconds;
    }
}
