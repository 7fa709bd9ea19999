package io.scaflow.flow;

import io.scaflow.config.Env;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * How the SCA flow paces itself, from the function's environment (see docs/design.md, "Poll cadence"). {@code
 * userTokenSecretPrefix} ({@code USER_TOKEN_SECRET_PREFIX}, the template's {@code UserTokenSecretPrefix}) names a
 * console execution's token secret: the prefix and the uid; without it console executions are refused.
 *
 * @param pollInterval     the wait before the first poll and between polls while an attempt is young
 * @param latePollInterval the wait between polls once the attempt has waited {@code fastPollPhase}
 * @param reconcileFailedAfter how long after a flow became EXECUTING a reconciliation may record FAILED: until
 *                             then its transfer call may still be in flight ({@code RECONCILE_FAILED_AFTER_SECONDS},
 *                             the template's {@code ReconcileFailedAfterSeconds})
 */
public record FlowSettings(
        Duration pollInterval,
        Duration latePollInterval,
        Duration fastPollPhase,
        Duration reminderDelay,
        int maxAttempts,
        Duration flowRetention,
        Duration shortLivedTokenLifetime,
        BigDecimal maxAmount,
        int maxBodyBytes,
        Duration reconcileFailedAfter,
        Optional<String> userTokenSecretPrefix) {

    public static FlowSettings fromEnv(Env env) {
        return new FlowSettings(
                env.seconds("POLL_INTERVAL_SECONDS", Duration.ofSeconds(2)),
                env.seconds("LATE_POLL_INTERVAL_SECONDS", Duration.ofSeconds(5)),
                env.seconds("FAST_POLL_PHASE_SECONDS", Duration.ofSeconds(20)),
                env.seconds("REMINDER_DELAY_SECONDS", Duration.ofSeconds(30)),
                env.integer("MAX_ATTEMPTS", 3),
                Duration.ofDays(env.integer("FLOW_TTL_DAYS", 1827)),
                Duration.ofSeconds(60),
                new BigDecimal(env.string("MAX_AMOUNT", "100000")),
                env.integer("MAX_BODY_BYTES", 16384),
                env.seconds("RECONCILE_FAILED_AFTER_SECONDS", Duration.ofSeconds(60)),
                env.optional("USER_TOKEN_SECRET_PREFIX"));
    }
}
