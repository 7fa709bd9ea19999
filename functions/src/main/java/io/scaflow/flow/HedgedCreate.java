package io.scaflow.flow;

import io.scaflow.log.Log;
import io.scaflow.log.LogContext;
import io.scaflow.shine.ActionRequest;
import io.scaflow.shine.ShineClientException;
import io.scaflow.shine.ShineUnavailableException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Creates an action request without losing a slow answer. A create that got no answer may still have been made at
 * Shine (the user was notified), so the call is not abandoned at its usual timeout: after {@code retryAfter} with
 * no answer it is made once more, and both calls are listened to until the deadline. Every answer that arrives by
 * then is handed on, so the flow keeps the id of each request the user may confirm. See docs/design.md, "Every action
 * request of a flow".
 *
 * <p>An answer that comes after the deadline is lost: the request it describes exists at Shine, unknown to scaflow.
 */
final class HedgedCreate {

    /** One create call at Shine that waits up to {@code timeout} for its answer. */
    interface Call {
        ActionRequest create(Duration timeout);
    }

    private static final Log LOG = Log.of(HedgedCreate.class);
    /** No second call when less than this is left before the deadline: it could not be answered in time. */
    private static final Duration MIN_CALL = Duration.ofSeconds(1);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "shine-create-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final Duration retryAfter;
    private final long deadline;

    /**
     * @param retryAfter how long the first call waits for its answer before the second call is made
     * @param budget     how long, from now, answers are waited for
     */
    HedgedCreate(Duration retryAfter, Duration budget) {
        this.retryAfter = retryAfter;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /** Time left before the deadline. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Makes the call, and once more if no answer came within {@code retryAfter}; hands every answer received before
     * the deadline to {@code onAnswer}, in the caller's thread, in the order they arrive. A first call that fails
     * (Shine answered an error, or could not be reached) before the second is made is not made again here: that
     * failure is thrown, as a retry belongs to the state machine.
     *
     * @return how many answers were handed on (at least 1)
     * @throws RuntimeException when no answer came: a {@link ShineClientException} if Shine refused a call, else
     *                          the first call's failure, else the second's, else {@link ShineUnavailableException}
     */
    int run(Call call, String flowId, Consumer<ActionRequest> onAnswer) {
        long start = System.nanoTime();
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        RuntimeException[] failures = new RuntimeException[2];
        start(call, 0, outcomes);
        int started = 1;
        int finished = 0;
        int answers = 0;
        boolean beforeRetry = true;
        while (finished < started) {
            long until = beforeRetry ? Math.min(deadline, start + retryAfter.toNanos()) : deadline;
            Outcome outcome = next(outcomes, until);
            if (outcome == null) {
                if (!beforeRetry) {
                    LOG.warn("no more answers to wait for", "flowId", flowId, "callsUnanswered", started - finished);
                    break;
                }
                beforeRetry = false;
                if (remaining().compareTo(MIN_CALL) >= 0) {
                    LOG.warn("no answer to the create yet; making it once more and still waiting for the first",
                            "flowId", flowId, "waitedMs", Duration.ofNanos(System.nanoTime() - start).toMillis());
                    start(call, 1, outcomes);
                    started = 2;
                }
                continue;
            }
            finished++;
            if (outcome.answer() != null) {
                answers++;
                onAnswer.accept(outcome.answer());
            } else {
                failures[outcome.index()] = outcome.failure();
                LOG.warn("a create call failed", "flowId", flowId, "call", outcome.index() + 1,
                        "error", outcome.failure().getClass().getSimpleName());
                if (started == 1 && beforeRetry) {
                    break;
                }
            }
        }
        if (answers > 0) {
            return answers;
        }
        for (RuntimeException failure : failures) {
            if (failure instanceof ShineClientException) {
                throw failure;
            }
        }
        for (RuntimeException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        throw new ShineUnavailableException("POST /v2/authentication/oauth2/action_request: no answer within "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms", null);
    }

    private void start(Call call, int index, BlockingQueue<Outcome> outcomes) {
        Duration timeout = remaining().isZero() ? Duration.ofMillis(1) : remaining();
        CALLS.execute(LogContext.wrap(() -> {
            try {
                outcomes.add(new Outcome(index, call.create(timeout), null));
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(index, null, e));
            }
        }));
    }

    private static Outcome next(BlockingQueue<Outcome> outcomes, long untilNanos) {
        try {
            return outcomes.poll(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Shine's answer to a create", e);
        }
    }

    private record Outcome(int index, ActionRequest answer, RuntimeException failure) {
    }
}
