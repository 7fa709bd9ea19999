package io.scaflow.api;

import io.scaflow.flow.UsageLimits;
import io.scaflow.input.ActionInput;
import io.scaflow.input.FieldError;
import io.scaflow.store.LimitExceededException;
import io.scaflow.store.UsageCounter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The API's usage limits ({@link UsageLimits}) as the counters a new flow is counted in, in fixed windows (the
 * minute, the UTC day), and their refusal: 429 {@code limit-exceeded} with {@code Retry-After} until the window
 * ends. Callers and uids appear in counter names only as a digest.
 */
final class UsageGuard {

    static final String CODE = "limit-exceeded";

    private final UsageLimits limits;
    private final Clock clock;

    UsageGuard(UsageLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** The counters a new flow of {@code caller} for {@code input} is counted in (none without limits). */
    List<UsageCounter> countersFor(String caller, ActionInput input) {
        Instant now = clock.instant();
        long minute = now.getEpochSecond() / 60;
        Instant nextMinute = Instant.ofEpochSecond((minute + 1) * 60);
        List<UsageCounter> counters = new ArrayList<>();
        if (limits.callerStartsPerMinute() > 0) {
            counters.add(new UsageCounter("caller-starts:" + digest(caller) + ":" + minute, nextMinute, BigDecimal.ONE,
                    BigDecimal.valueOf(limits.callerStartsPerMinute())));
        }
        if (limits.userStartsPerMinute() > 0) {
            counters.add(new UsageCounter("uid-starts:" + digest(input.uid()) + ":" + minute, nextMinute,
                    BigDecimal.ONE, BigDecimal.valueOf(limits.userStartsPerMinute())));
        }
        if (limits.userAmountPerDay().signum() > 0 && input.payload().path("amount").isNumber()) {
            LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
            counters.add(new UsageCounter("uid-amount:" + digest(input.uid()) + ":" + day,
                    day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                    input.payload().get("amount").decimalValue(), limits.userAmountPerDay()));
        }
        return counters;
    }

    /** 429 {@code limit-exceeded}, naming the limit; nothing was started. */
    Problem refused(LimitExceededException e) {
        String name = e.counter().name();
        long seconds = Math.max(1, (Duration.between(clock.instant(), e.resetAt()).toMillis() + 999) / 1000);
        FieldError error;
        if (name.startsWith("caller-starts:")) {
            error = new FieldError("Authorization", "this caller may start at most " + limits.callerStartsPerMinute()
                    + " flows a minute");
        } else if (name.startsWith("uid-starts:")) {
            error = new FieldError("uid", "at most " + limits.userStartsPerMinute()
                    + " flows a minute may be started for one uid");
        } else {
            error = new FieldError("amount", "the flows of one uid may total at most "
                    + limits.userAmountPerDay().toPlainString() + " a day (UTC)");
        }
        return new Problem(429, CODE, "Limit exceeded", error + "; nothing was started: send it again after "
                + "Retry-After seconds", List.of(error)).withRetryAfter(seconds);
    }

    private static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
