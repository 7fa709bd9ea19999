package io.scaflow.log;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every log line (and metric line) of one invocation carries: the Lambda request id, the function's name,
 * whether this invocation is the container's cold start, and the flow id once the handler knows it. Held per thread
 * (the local stack runs several functions in one JVM); a task handed to another thread takes it along with
 * {@link #wrap(Runnable)}. Ids and a flag only: nothing in it is ever a secret.
 */
public final class LogContext {

    /** The fields of one invocation; {@code flowId} is set once known. */
    static final class Fields {
        final String requestId;
        final String function;
        final boolean coldStart;
        volatile String flowId;

        Fields(String requestId, String function, boolean coldStart) {
            this.requestId = requestId;
            this.function = function;
            this.coldStart = coldStart;
        }
    }

    /** True for the first invocation of a handler instance only: one instance per container in Lambda. */
    public static final class ColdStart {
        private final AtomicBoolean cold = new AtomicBoolean(true);

        /** True the first time it is asked, false after. */
        public boolean next() {
            return cold.getAndSet(false);
        }
    }

    /** Ends an invocation's context: the thread's lines carry the previous one again (none, in Lambda). */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static final ThreadLocal<Fields> CURRENT = new ThreadLocal<>();

    private LogContext() {
    }

    /**
     * Starts the context of an invocation on this thread. {@code context} may be null (a test calling the handler
     * without one): the request id is then absent and the function is {@code AWS_LAMBDA_FUNCTION_NAME} or
     * {@code fallbackFunction}.
     */
    public static Scope begin(Context context, String fallbackFunction, boolean coldStart) {
        String function = context != null && context.getFunctionName() != null ? context.getFunctionName()
                : System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", fallbackFunction);
        Fields previous = CURRENT.get();
        CURRENT.set(new Fields(context != null ? context.getAwsRequestId() : null, function, coldStart));
        return () -> restore(previous);
    }

    /** The flow this invocation works on, from now on in every line; ignored outside an invocation. */
    public static void flowId(String flowId) {
        Fields fields = CURRENT.get();
        if (fields != null) {
            fields.flowId = flowId;
        }
    }

    /** {@code task}, run with the context of the thread that wraps it (for executor threads). */
    public static Runnable wrap(Runnable task) {
        Fields fields = CURRENT.get();
        return () -> {
            Fields previous = CURRENT.get();
            CURRENT.set(fields);
            try {
                task.run();
            } finally {
                restore(previous);
            }
        };
    }

    static Fields current() {
        return CURRENT.get();
    }

    private static void restore(Fields previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
