package io.scaflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.log.Log;
import io.scaflow.shine.ActionRequest;
import io.scaflow.shine.ShineMalformedResponseException;
import io.scaflow.shine.ShineRateLimitedException;
import io.scaflow.shine.ShineUnavailableException;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Step 2, repeated through Wait states: polls the flow's action request once and records what it finds:
 * CONFIRMED (the short-lived token goes to the store, never into the output), REJECTED, EXPIRED (from
 * {@code expiresAt}), or still pending: PENDING, a status this version does not know, or CONFIRMED without its
 * token (the next poll has it); the reminder becomes due once the request has waited the configured delay.
 * Returns how long to wait before the next poll: longer after Shine's 429 with Retry-After. A failed poll (Shine
 * unavailable, an unreadable answer) is made again at the next interval; expiry is then judged from the stored
 * {@code expiresAt}.
 */
public final class PollActionRequestHandler extends StepHandler {

    private static final Log LOG = Log.of(PollActionRequestHandler.class);

    public PollActionRequestHandler() {
        this(FlowServices.fromEnvironment());
    }

    public PollActionRequestHandler(FlowServices services) {
        super(services);
    }

    @Override
    protected StepResult handle(String flowId, JsonNode event) {
        int pollCount = event.path("pollCount").asInt(0) + 1;
        FlowSettings settings = services.settings();
        Flow flow = services.store().get(flowId);
        if (flow.status() != FlowStatus.AWAITING_CONFIRMATION) {
            return StepResult.of(flow, 0, pollCount, settings);
        }
        Duration wait = settings.pollInterval();
        boolean rateLimited = false;
        ActionRequest request = null;
        try {
            request = services.shine().poll(flow.actionRequestId());
        } catch (ShineRateLimitedException e) {
            Duration retryAfter = e.retryAfter().orElse(wait.multipliedBy(2));
            wait = retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
            rateLimited = true;
            LOG.warn("shine rate limited the poll", "flowId", flowId, "waitSeconds", wait.toSeconds());
        } catch (ShineUnavailableException | ShineMalformedResponseException e) {
            // A poll is a read: a failed one is simply made again at the next interval, until expiresAt.
            LOG.warn("poll failed; polling again", "flowId", flowId, "error", e.getClass().getSimpleName());
        }
        Instant now = services.clock().instant();
        try {
            flow = record(flow, request, now);
        } catch (FlowConflictException e) {
            LOG.info("flow changed while polling", "flowId", flowId, "status", e.actual());
            flow = services.store().get(flowId);
        }
        return StepResult.of(flow, nextWait(flow, wait, rateLimited, now), pollCount, settings);
    }

    private Flow record(Flow flow, ActionRequest request, Instant now) {
        String id = flow.flowId();
        if (request != null) {
            switch (request.status()) {
                case CONFIRMED -> {
                    if (request.token().isEmpty()) {
                        // Shine said CONFIRMED before showing the token: the next poll has it.
                        LOG.warn("action request confirmed without its token; polling again", "flowId", id,
                                "actionRequestId", flow.actionRequestId());
                        break;
                    }
                    LOG.info("action request confirmed", "flowId", id, "actionRequestId", flow.actionRequestId());
                    return services.store().change(id, FlowStatus.AWAITING_CONFIRMATION,
                            FlowChange.to(FlowStatus.CONFIRMED, "confirmed by the user")
                                    .confirmed(confirmedAt(request, now), request.token().get()));
                }
                case REJECTED -> {
                    LOG.info("action request rejected", "flowId", id, "actionRequestId", flow.actionRequestId());
                    return services.store().change(id, FlowStatus.AWAITING_CONFIRMATION,
                            FlowChange.to(FlowStatus.REJECTED, "rejected by the user"));
                }
                case UNKNOWN -> LOG.warn("action request in a status scaflow does not know; treated as pending",
                        "flowId", id, "shineStatus", request.rawStatus());
                case PENDING -> { }
            }
        }
        Instant expiresAt = request != null ? request.expiresAt() : flow.expiresAt();
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            boolean renew = flow.attempt() < services.settings().maxAttempts();
            LOG.info("action request expired", "flowId", id, "attempt", flow.attempt(), "renew", renew);
            FlowChange expired = FlowChange.to(FlowStatus.EXPIRED, "action request " + flow.attempt() + " expired"
                    + (renew ? "; a new one will be created" : "; no attempt left"));
            return services.store().change(id, FlowStatus.AWAITING_CONFIRMATION, renew ? expired : expired.endsFlow());
        }
        if (!flow.reminderDue() && flow.awaitingSince() != null
                && !now.isBefore(flow.awaitingSince().plus(services.settings().reminderDelay()))) {
            LOG.info("confirmation reminder due", "flowId", id);
            return services.store().change(id, FlowStatus.AWAITING_CONFIRMATION, FlowChange.keepStatus().reminderDue());
        }
        return flow;
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
     * Shine's Retry-After when it gave one; otherwise the poll interval, cut short to look again just after the
     * action request's expiry.
     */
    private static long nextWait(Flow flow, Duration wait, boolean rateLimited, Instant now) {
        if (flow.status() != FlowStatus.AWAITING_CONFIRMATION) {
            return 0;
        }
        long seconds = Math.max(1, wait.toSeconds());
        if (!rateLimited && flow.expiresAt() != null) {
            long untilExpiry = Duration.between(now, flow.expiresAt()).toSeconds() + 1;
            seconds = Math.max(1, Math.min(seconds, untilExpiry));
        }
        return seconds;
    }
}
