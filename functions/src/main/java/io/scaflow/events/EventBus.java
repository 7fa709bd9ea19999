package io.scaflow.events;

import java.util.List;

/** Where the status events go: the template's EventBridge bus ({@link EventBridgeBus}), or a test's double. */
public interface EventBus {

    /** Most events one {@link #put} takes (EventBridge's PutEvents limit). */
    int MAX_BATCH = 10;

    /**
     * Puts up to {@link #MAX_BATCH} events, in order; returns how many of them, from the first, were accepted
     * before the first one that was not (all of them: {@code events.size()}). Throws when the call itself failed
     * (then none is known to be accepted).
     */
    int put(List<StatusEvent> events);
}
