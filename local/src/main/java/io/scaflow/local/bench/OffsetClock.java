package io.scaflow.local.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock plus an offset that only grows; {@link #advance} jumps over the time a Wait state would have
 * taken in AWS. While {@link #freeze frozen}, only {@link #advance} moves it, so simulated time is exact.
 */
final class OffsetClock extends Clock {

    private final AtomicLong offsetNanos = new AtomicLong();
    private volatile Instant frozenAt;

    /** Stops real time: from now on only {@link #advance} moves the clock. */
    void freeze() {
        frozenAt = Instant.now();
    }

    /** Real time passes again (the clock jumps forward by the real time spent frozen: it never goes back). */
    void thaw() {
        frozenAt = null;
    }

    void advance(Duration step) {
        offsetNanos.addAndGet(step.toNanos());
    }

    Duration offset() {
        return Duration.ofNanos(offsetNanos.get());
    }

    @Override
    public Instant instant() {
        Instant frozen = frozenAt;
        return (frozen != null ? frozen : Instant.now()).plusNanos(offsetNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
