package io.scaflow.flow;

import java.time.Duration;
import java.time.Instant;

/**
 * The wait between two polls of an attempt's action requests, before Shine's Retry-After and the cut to an expiry
 * (see docs/design.md, "Poll cadence"): {@link FlowSettings#pollInterval()} while the attempt is younger than
 * {@link FlowSettings#fastPollPhase()} (most users answer within seconds, and the detection latency is at most one
 * interval), {@link FlowSettings#latePollInterval()} after (a hesitating user costs Shine fewer requests).
 */
final class PollCadence {

    private PollCadence() {
    }

    /** {@code awaitingSince}: when the attempt started waiting (null for an item without it: the fast interval). */
    static Duration interval(FlowSettings settings, Instant awaitingSince, Instant now) {
        Duration fast = settings.pollInterval();
        if (awaitingSince == null || now.isBefore(awaitingSince.plus(settings.fastPollPhase()))) {
            return fast;
        }
        Duration late = settings.latePollInterval();
        return late.compareTo(fast) > 0 ? late : fast;
    }
}
