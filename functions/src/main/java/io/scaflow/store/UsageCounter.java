package io.scaflow.store;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One use of a limited resource, counted when a flow is created ({@link FlowStore#create(Flow, java.util.List)}):
 * {@code add} goes to the counter {@code name} (a fixed window, e.g. one caller's starts in one minute) unless that
 * would take it past {@code max}. The counter is an item of the flow table keyed {@code limit:<name>}, which no
 * flow id can be (flow ids have no ':'), with the total in {@code used} and the flow ids it counted in {@code ids}
 * (so that it counts each once), deleted by TTL an hour after {@code resetAt}.
 */
public record UsageCounter(String name, Instant resetAt, BigDecimal add, BigDecimal max) {

    static final String KEY_PREFIX = "limit:";
    static final String USED = "used";
    static final String IDS = "ids";

    public UsageCounter {
        if (name == null || name.isBlank() || add.signum() < 0 || max.signum() < 0) {
            throw new IllegalArgumentException("a usage counter needs a name, and an addition and a maximum >= 0");
        }
    }

    String key() {
        return KEY_PREFIX + name;
    }
}
