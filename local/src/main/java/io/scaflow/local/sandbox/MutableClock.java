package io.scaflow.local.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A clock that moves only when told: tests step over lifetimes and policy delays without sleeping. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Starts at the current time (with the system clock's sub-millisecond digits). */
    public static MutableClock startingNow() {
        return new MutableClock(Instant.now());
    }

    public synchronized void advance(Duration step) {
        now = now.plus(step);
    }

    public void set(Instant value) {
        now = Objects.requireNonNull(value, "value");
    }

    @Override
    public Instant instant() {
        return now;
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
