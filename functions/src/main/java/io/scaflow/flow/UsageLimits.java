package io.scaflow.flow;

import io.scaflow.config.Env;
import java.math.BigDecimal;

/**
 * Limits on starting flows through the API (template parameters, docs/design.md): flows one caller may start per
 * minute, flows one uid may be asked to confirm per minute, and the total amount of one uid's flows per day (UTC).
 * 0, or a variable not set, is no limit.
 */
public record UsageLimits(int callerStartsPerMinute, int userStartsPerMinute, BigDecimal userAmountPerDay) {

    public static final UsageLimits NONE = new UsageLimits(0, 0, BigDecimal.ZERO);

    public static UsageLimits fromEnv(Env env) {
        return new UsageLimits(env.integer("CALLER_STARTS_PER_MINUTE", 0), env.integer("USER_STARTS_PER_MINUTE", 0),
                new BigDecimal(env.string("USER_AMOUNT_PER_DAY", "0")));
    }
}
