package io.scaflow.flow;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.aws.TransientAwsFailure;
import io.scaflow.log.Log;
import io.scaflow.log.Metrics;
import io.scaflow.shine.ActionResult;
import io.scaflow.shine.PreparedAction;
import io.scaflow.shine.ShineClientException;
import io.scaflow.shine.ShineOutcomeUnknownException;
import io.scaflow.shine.ShineRateLimitedException;
import io.scaflow.shine.ShineUnavailableException;
import io.scaflow.store.ErrorCode;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowError;
import io.scaflow.store.FlowStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Step 3: runs the confirmed action at Shine, at most once. The flow moves CONFIRMED → EXECUTING by a conditional
 * write (which also removes the short-lived token from the store) before the request is sent, so a duplicate
 * invocation finds EXECUTING and sends nothing: it waits for the sending invocation's outcome and answers it.
 * The request is built and its tokens checked before that write, so a request that cannot be made fails the flow
 * FAILED (nothing was sent). Then: SUCCEEDED on any 2xx, whatever its body (what can be read of
 * it is kept as the result), FAILED when Shine answered no (or the connection was never made), OUTCOME_UNKNOWN
 * when the request may have reached Shine and no usable answer came.
 *
 * <p>After a 429 (Shine did nothing) the action is sent once more, after Shine's Retry-After, only if the
 * short-lived token is still valid {@link #TOKEN_MARGIN} after the wait and if the wait, a whole execute call
 * ({@code SHINE_EXECUTE_TIMEOUT_MS}) and {@link #WRITE_RESERVE} fit in the time the function has left; otherwise
 * the flow is FAILED (nothing was done).
 */
public final class ExecuteActionHandler extends StepHandler {

    private static final Log LOG = Log.of(ExecuteActionHandler.class);
    /** Time left on the short-lived token when the request leaves, at the least. */
    private static final Duration TOKEN_MARGIN = Duration.ofSeconds(5);
    /** Kept for the conditional write of the outcome after the call, at the least. */
    static final Duration WRITE_RESERVE = Duration.ofSeconds(3);
    /** How often a duplicate invocation re-reads the flow while another one sends the action. */
    static final Duration OUTCOME_POLL = Duration.ofMillis(250);
    /** Kept by a waiting duplicate invocation to answer before its own timeout. */
    static final Duration RETURN_RESERVE = Duration.ofSeconds(1);

    public ExecuteActionHandler() {
        this(StepPrimer.registered(StepPrimer.Step.EXECUTE, FlowServices.fromEnvironment()));   // SnapStart: io.scaflow.prime
    }

    public ExecuteActionHandler(FlowServices services) {
        super(services);
    }

    @Override
    protected StepResult handle(String flowId, JsonNode event) {
        return handle(flowId, event, null);
    }

    @Override
    protected StepResult handle(String flowId, JsonNode event, Context context) {
        long deadlineNanos = context == null ? Long.MAX_VALUE
                : System.nanoTime() + Duration.ofMillis(context.getRemainingTimeInMillis()).toNanos();
        FlowSettings settings = services.settings();
        // Tokens decrypted now: a KMS failure ends the step before the flow is marked as sent (RecordFailure: FAILED).
        Flow flow = services.store().getWithTokens(flowId);
        if (flow.status() == FlowStatus.EXECUTING) {
            LOG.warn("not executing: another invocation is sending the action; waiting for its outcome", "flowId", flowId);
            return StepResult.of(awaitOutcome(flowId, deadlineNanos), 0, 0, settings);
        }
        if (flow.status() != FlowStatus.CONFIRMED) {
            LOG.warn("not executing: the flow is not CONFIRMED", "flowId", flowId, "status", flow.status());
            return StepResult.of(flow, 0, 0, settings);
        }
        Instant now = services.clock().instant();
        if (flow.shortLivedToken().isEmpty() || flow.accessToken().isEmpty()) {
            return StepResult.of(end(flow, FlowStatus.CONFIRMED, FlowStatus.FAILED, "a token is missing; nothing was sent",
                    FlowError.of(ErrorCode.TOKEN_MISSING)), 0, 0, settings);
        }
        if (flow.confirmedAt() != null && !now.isBefore(flow.confirmedAt().plus(settings.shortLivedTokenLifetime()))) {
            return StepResult.of(end(flow, FlowStatus.CONFIRMED, FlowStatus.FAILED, "the short-lived token expired; nothing was sent",
                    FlowError.of(ErrorCode.TOKEN_EXPIRED)), 0, 0, settings);
        }
        // Built and checked before anything is marked as sent: a request that cannot be made fails as "nothing sent".
        PreparedAction action;
        try {
            action = services.shine().prepare(flow.action(), flow.payload(), flow.accessToken().get(),
                    flow.shortLivedToken().get());
        } catch (RuntimeException e) {
            FlowError error = FlowError.of(e);
            LOG.error("not executing: the request cannot be made; nothing was sent", "flowId", flowId,
                    "error", error.code(), "detail", FlowError.safeText(e));
            return StepResult.of(end(flow, FlowStatus.CONFIRMED, FlowStatus.FAILED,
                    "the request to Shine could not be made; nothing was sent", error), 0, 0, settings);
        }
        try {
            flow = services.store().change(flowId, FlowStatus.CONFIRMED,
                    FlowChange.to(FlowStatus.EXECUTING, "sending the action to Shine").executedAt(now).forgetShortLivedToken());
        } catch (FlowConflictException e) {
            LOG.warn("not executing: another invocation moved the flow", "flowId", flowId, "status", e.actual());
            return StepResult.of(awaitOutcome(flowId, deadlineNanos), 0, 0, settings);
        }
        Instant tokenExpiry = flow.confirmedAt() == null ? now.plus(settings.shortLivedTokenLifetime())
                : flow.confirmedAt().plus(settings.shortLivedTokenLifetime());
        return StepResult.of(send(flow, action, tokenExpiry, deadlineNanos), 0, 0, settings);
    }

    /**
     * The outcome of the invocation that is sending the action: the flow re-read every {@link #OUTCOME_POLL} until
     * it leaves EXECUTING (answering EXECUTING would end the flow OUTCOME_UNKNOWN while that call is in flight).
     * Waits while this invocation has time left ({@link #RETURN_RESERVE} kept to answer; without a context, as
     * long as a whole execute call and its write); then {@link ExecutionInProgressException}, which the state
     * machine retries.
     */
    private Flow awaitOutcome(String flowId, long deadlineNanos) {
        long until = deadlineNanos == Long.MAX_VALUE
                ? System.nanoTime() + services.shine().executeTimeout().plus(WRITE_RESERVE).toNanos()
                : deadlineNanos - RETURN_RESERVE.toNanos();
        while (true) {
            Flow flow;
            try {
                flow = services.store().get(flowId);
            } catch (RuntimeException e) {
                if (!TransientAwsFailure.is(e)) {
                    throw e;
                }
                // this invocation sent nothing: retried as in progress, never ended OUTCOME_UNKNOWN by a failed read
                LOG.warn("outcome of the other invocation not read", "flowId", flowId,
                        "error", e.getClass().getSimpleName());
                throw new ExecutionInProgressException(flowId);
            }
            if (flow.status() != FlowStatus.EXECUTING) {
                LOG.info("outcome of the other invocation", "flowId", flowId, "status", flow.status());
                return flow;
            }
            if (until - System.nanoTime() < OUTCOME_POLL.toNanos()) {
                throw new ExecutionInProgressException(flowId);
            }
            try {
                Thread.sleep(OUTCOME_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExecutionInProgressException(flowId);
            }
        }
    }

    private Flow send(Flow flow, PreparedAction action, Instant tokenExpiry, long deadlineNanos) {
        String id = flow.flowId();
        ActionResult result;
        try {
            result = callShine(flow, action, tokenExpiry, deadlineNanos);
        } catch (ShineClientException | ShineRateLimitedException | ShineUnavailableException e) {
            // Shine answered no, or the connection was never made: the action was not done.
            LOG.warn("action refused", "flowId", id, "error", e.getClass().getSimpleName(), "detail", FlowError.safeText(e));
            return end(flow, FlowStatus.EXECUTING, FlowStatus.FAILED, "Shine did not do the action", FlowError.of(e));
        } catch (ShineOutcomeUnknownException e) {
            LOG.error("action outcome unknown", "flowId", id, "detail", FlowError.safeText(e));
            return end(flow, FlowStatus.EXECUTING, FlowStatus.OUTCOME_UNKNOWN,
                    "Shine's answer is missing or unreadable; the action may have been done", FlowError.of(e));
        } catch (RuntimeException e) {
            LOG.error("action outcome unknown after an unexpected error", "flowId", id, "error", e.getClass().getName());
            return end(flow, FlowStatus.EXECUTING, FlowStatus.OUTCOME_UNKNOWN,
                    "unexpected error while sending; the action may have been done", FlowError.of(e));
        }
        return recordSuccess(id, result);
    }

    /** Sends the action; after a 429, once more if the token and the function's time allow it (see above). */
    private ActionResult callShine(Flow flow, PreparedAction action, Instant tokenExpiry,
                                   long deadlineNanos) {
        Duration executeTimeout = services.shine().executeTimeout();
        return RateLimits.callOnceMore(
                () -> services.shine().execute(action),
                wait -> services.clock().instant().plus(wait).plus(TOKEN_MARGIN).isBefore(tokenExpiry)
                        && fitsBefore(deadlineNanos, wait.plus(executeTimeout).plus(WRITE_RESERVE)),
                flow.flowId());
    }

    /** True when {@code needed} from now ends before the function's deadline. */
    static boolean fitsBefore(long deadlineNanos, Duration needed) {
        return deadlineNanos == Long.MAX_VALUE || deadlineNanos - System.nanoTime() >= needed.toNanos();
    }

    /**
     * Records Shine's answer. If the flow was meanwhile marked OUTCOME_UNKNOWN (its execution was stopped while the
     * call was out), the outcome is now known and recorded all the same. Shine's answer is logged first, so a
     * failing write loses nothing.
     */
    private Flow recordSuccess(String id, ActionResult result) {
        // Only the result's id: the result itself holds personal data (amount, recipient, uid).
        LOG.info("action done", "flowId", id, "httpStatus", result.httpStatus(), "answer", result.shape(),
                "resultId", result.id().orElse(null));
        String reason = "Shine answered " + result.describe();
        try {
            return services.store().change(id, FlowStatus.EXECUTING,
                    FlowChange.to(FlowStatus.SUCCEEDED, reason).result(kept(result)));
        } catch (FlowConflictException e) {
            if (e.actual() == FlowStatus.FAILED) {
                reportSuccessAfterFailedReconciliation(id, result);
            }
            if (e.actual() != FlowStatus.OUTCOME_UNKNOWN) {
                throw e;
            }
            return services.store().change(id, FlowStatus.OUTCOME_UNKNOWN,
                    FlowChange.to(FlowStatus.SUCCEEDED, reason + " (after the flow was marked OUTCOME_UNKNOWN)")
                            .result(kept(result)));
        }
    }

    /**
     * Shine did the action, and the flow was meanwhile reconciled FAILED by a person (which the reconciliation's
     * wait is there to prevent: {@link FlowReconciliations#failedAcceptedFrom}). The money moved and the flow says
     * it did not: an error line and the {@code SuccessAfterFailedReconciliation} metric (its alarm) tell an operator.
     */
    private void reportSuccessAfterFailedReconciliation(String id, ActionResult result) {
        Flow flow = services.store().get(id);
        if (FlowReconciliations.lastReconciliation(flow) == null) {
            return;
        }
        LOG.error("Shine did the action after the flow was reconciled FAILED: correct the reconciliation", "flowId", id,
                "httpStatus", result.httpStatus(), "resultId", result.id().orElse(null));
        Metrics.line().by().count("SuccessAfterFailedReconciliation").emit();
    }

    /** What the flow keeps of Shine's answer: a JSON object (the API documents the result as one), else nothing. */
    private static JsonNode kept(ActionResult result) {
        return result.data() != null && result.data().isObject() ? result.data() : null;
    }

    private Flow end(Flow flow, FlowStatus from, FlowStatus to, String reason, FlowError error) {
        try {
            return services.store().change(flow.flowId(), from, FlowChange.to(to, reason).error(error));
        } catch (FlowConflictException e) {
            return services.store().get(flow.flowId());
        }
    }
}
