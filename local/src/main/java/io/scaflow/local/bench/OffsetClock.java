package io.scaflow.local.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock plus an offset that only grows; {@link #advance} jumps over the time a Wait state would have
 * taken in AWS. While {@link #freeze frozen}, only {@link #advance} moves it, so simulated time is exact.
 */
final class OffsetClock extends Clock {

    private final AtomicLong offsetNanos = new AtomicLong();
    /** Real instant of each advance -> the offset from then on (for {@link #readingAt}). */
    private final ConcurrentSkipListMap<Instant, Long> offsets = new ConcurrentSkipListMap<>();
    private volatile Instant frozenAt;

    /** Stops real time: from now on only {@link #advance} moves the clock. */
    void freeze() {
        frozenAt = Instant.now();
    }

    /** Real time passes again (the clock jumps forward by the real time spent frozen: it never goes back). */
    void thaw() {
        frozenAt = null;
    }

    synchronized void advance(Duration step) {
        offsets.put(Instant.now(), offsetNanos.addAndGet(step.toNanos()));
    }

    /**
     * What this clock read at the real instant {@code real} (during the current frozen spell, or since the last
     * thaw): the Step Functions engine stamps {@code $$.Execution.StartTime} with real time, the handlers compare it
     * with this clock.
     */
    Instant readingAt(Instant real) {
        Map.Entry<Instant, Long> entry = offsets.floorEntry(real);
        long offset = entry == null ? 0 : entry.getValue();
        Instant frozen = frozenAt;
        return (frozen != null && !real.isBefore(frozen) ? frozen : real).plusNanos(offset);
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
