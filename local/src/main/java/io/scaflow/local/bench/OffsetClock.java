package io.scaflow.local.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock plus an offset that only grows: real time keeps passing (as in AWS, where each Lambda call takes
 * some), and {@link #advance} jumps over the time a Wait state would have taken in AWS.
 */
final class OffsetClock extends Clock {

    private final AtomicLong offsetNanos = new AtomicLong();

    void advance(Duration step) {
        offsetNanos.addAndGet(step.toNanos());
    }

    Duration offset() {
        return Duration.ofNanos(offsetNanos.get());
    }

    @Override
    public Instant instant() {
        return Instant.now().plusNanos(offsetNanos.get());
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
