package io.scaflow.shine;

import java.time.Duration;
import java.util.Optional;

/** Shine answered HTTP 429: nothing was done; call again after {@link #retryAfter()} when Shine gave one. */
public final class ShineRateLimitedException extends ShineException {

    private final Duration retryAfter;

    public ShineRateLimitedException(String endpoint, Duration retryAfter) {
        super(endpoint + " answered HTTP 429 (rate limited"
                + (retryAfter == null ? ")" : ", retry after " + retryAfter.toSeconds() + " s)"));
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
