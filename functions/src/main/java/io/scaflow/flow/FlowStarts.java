package io.scaflow.flow;

import io.scaflow.core.Secret;
import io.scaflow.log.Log;
import io.scaflow.store.ErrorCode;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowError;
import io.scaflow.store.FlowExistsException;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.UsageCounter;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Starting a flow, idempotently: what {@code POST /v1/actions} and {@code POST /v1/transfers} do once the request is
 * valid (docs/api.md, "Idempotency-Key"). The flow is recorded PENDING with a hash of its request, then its execution
 * is started. A flow of the same id (the same caller and key) with the same hash is the same request: answered as
 * it is, or, when its execution never started, restarted with this request's access token.
 */
public final class FlowStarts {

    private static final Log LOG = Log.of(FlowStarts.class);

    private final FlowServices services;

    public FlowStarts(FlowServices services) {
        this.services = services;
    }

    /**
     * Records {@code flow} (if every usage counter has room for it) and starts its execution.
     *
     * @param retryable whether the caller can send the same request again (it has an Idempotency-Key): then a
     *                  failed start leaves the flow PENDING, without its access token, for that retry
     * @return the flow as it is now
     * @throws IdempotencyKeyReusedException when the id is taken by another request
     * @throws ExecutionNotStartedException  when the execution could not be started (nothing was sent to Shine)
     * @throws io.scaflow.store.LimitExceededException when a usage counter refused (nothing recorded)
     */
    public Flow start(Flow flow, List<UsageCounter> counters, boolean retryable) {
        String flowId = flow.flowId();
        Flow current = flow;
        try {
            services.store().create(flow, counters);
        } catch (FlowExistsException e) {
            current = services.store().get(flowId);
            if (!flow.requestHash().equals(current.requestHash())) {
                throw new IdempotencyKeyReusedException(flowId);
            }
            if (current.status() != FlowStatus.PENDING) {
                return current;
            }
            // its execution never started (or is starting): restart it with this request's access token
            Secret accessToken = flow.accessToken().orElseThrow();
            try {
                current = services.store().change(flowId, FlowStatus.PENDING,
                        FlowChange.keepStatus().accessToken(accessToken));
            } catch (FlowConflictException moved) {
                return services.store().get(flowId);   // it started meanwhile
            }
        }
        startExecution(current, retryable);
        return services.store().get(flowId);
    }

    private void startExecution(Flow flow, boolean retryable) {
        try {
            services.executions().start(flow.flowId());
        } catch (SdkException e) {
            LOG.error("execution could not start", "flowId", flow.flowId(), "error", e.getClass().getSimpleName());
            try {
                // Without a key the flow is given up; with one it waits for the retry, which brings the access
                // token again: it is not kept meanwhile.
                services.store().change(flow.flowId(), FlowStatus.PENDING, retryable
                        ? FlowChange.keepStatus().forgetSecrets()
                        : FlowChange.to(FlowStatus.FAILED, "the execution could not start")
                                .error(FlowError.of(ErrorCode.START_FAILED)));
            } catch (FlowConflictException ignored) {
                // someone else moved it: nothing to clean up
            }
            throw new ExecutionNotStartedException(flow.flowId(), retryable);
        }
    }

    /** The flow's id was taken by another request: its caller used the same Idempotency-Key for another action. */
    public static final class IdempotencyKeyReusedException extends RuntimeException {
        IdempotencyKeyReusedException(String flowId) {
            super("flow " + flowId + ": the Idempotency-Key was used for another request", null, false, false);
        }
    }

    /** The flow was recorded but its execution could not be started; nothing was sent to Shine. */
    public static final class ExecutionNotStartedException extends RuntimeException {
        private final boolean retryable;

        ExecutionNotStartedException(String flowId, boolean retryable) {
            super("flow " + flowId + ": the execution could not be started", null, false, false);
            this.retryable = retryable;
        }

        /** True when the flow waits (PENDING) for the same request again; false when it was made FAILED. */
        public boolean retryable() {
            return retryable;
        }
    }
}
