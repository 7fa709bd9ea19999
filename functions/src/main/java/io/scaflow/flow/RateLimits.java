package io.scaflow.flow;

import io.scaflow.log.Log;
import io.scaflow.shine.ShineRateLimitedException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Shine's 429 means it did nothing: a call may be made once more after its Retry-After, inside the function, when
 * the wait is short and still worth it. Otherwise the 429 goes to the caller.
 */
final class RateLimits {

    private static final Log LOG = Log.of(RateLimits.class);
    /** The longest Retry-After worth waiting for inside a function (their timeouts are 25-30 s). */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private RateLimits() {
    }

    static <T> T callOnceMore(Supplier<T> call, Predicate<Duration> worthWaiting, String flowId) {
        try {
            return call.get();
        } catch (ShineRateLimitedException e) {
            Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1));
            if (wait.compareTo(MAX_WAIT) > 0 || !worthWaiting.test(wait)) {
                LOG.warn("shine rate limited the call; not made again here", "flowId", flowId, "waitMs", wait.toMillis());
                throw e;
            }
            LOG.warn("shine rate limited the call; making it once more", "flowId", flowId, "waitMs", wait.toMillis());
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw e;
            }
            return call.get();
        }
    }
}
