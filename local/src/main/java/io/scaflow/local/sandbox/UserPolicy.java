package io.scaflow.local.sandbox;

import java.util.Objects;

/**
 * How the simulated user answers action requests.
 *
 * <ul>
 *   <li>{@code MANUAL} (default): nothing happens until the control API confirms or rejects;</li>
 *   <li>{@code CONFIRM} / {@code REJECT}: the user confirms / rejects {@code afterMs} after the creation (if the
 *       request has not expired by then, and nobody answered before);</li>
 *   <li>{@code NEVER}: the user never answers by himself (same as MANUAL, said explicitly); the control API still
 *       works, so a test can always force an outcome.</li>
 * </ul>
 * A request keeps the policy in force when it was created.
 */
public record UserPolicy(Behaviour behaviour, long afterMs) {

    public enum Behaviour { MANUAL, CONFIRM, REJECT, NEVER }

    public static final UserPolicy MANUAL = new UserPolicy(Behaviour.MANUAL, 0);

    public UserPolicy {
        Objects.requireNonNull(behaviour, "behaviour");
        if (afterMs < 0) {
            throw new IllegalArgumentException("afterMs must not be negative");
        }
    }

    public static UserPolicy confirmAfter(long ms) {
        return new UserPolicy(Behaviour.CONFIRM, ms);
    }

    public static UserPolicy rejectAfter(long ms) {
        return new UserPolicy(Behaviour.REJECT, ms);
    }

    public static UserPolicy never() {
        return new UserPolicy(Behaviour.NEVER, 0);
    }

    boolean answersAutomatically() {
        return behaviour == Behaviour.CONFIRM || behaviour == Behaviour.REJECT;
    }
}
