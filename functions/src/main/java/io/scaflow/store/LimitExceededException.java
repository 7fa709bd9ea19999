package io.scaflow.store;

import java.time.Instant;

/** A flow was not created: it would take a usage counter past its maximum until {@link #resetAt()}. */
public final class LimitExceededException extends RuntimeException {

    private final transient UsageCounter counter;

    public LimitExceededException(UsageCounter counter) {
        super("limit " + counter.name() + " reached (" + counter.max() + ") until " + counter.resetAt());
        this.counter = counter;
    }

    public UsageCounter counter() {
        return counter;
    }

    public Instant resetAt() {
        return counter.resetAt();
    }
}
