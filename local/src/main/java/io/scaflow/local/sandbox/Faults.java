package io.scaflow.local.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Injected faults, queued per endpoint: a fault added while another is active applies after it. */
final class Faults {

    private final Map<Endpoint, Deque<Fault>> queues = new EnumMap<>(Endpoint.class);

    synchronized void add(Fault fault) {
        queues.computeIfAbsent(fault.endpoint(), e -> new ArrayDeque<>()).addLast(fault);
    }

    /** The fault for this call, if any, counting it as one of its {@code count} calls. */
    synchronized Fault take(Endpoint endpoint) {
        Deque<Fault> queue = queues.get(endpoint);
        if (queue == null || queue.isEmpty()) {
            return null;
        }
        Fault head = queue.pollFirst();
        if (head.count() > 1) {
            queue.addFirst(head.spentOnce());
        }
        return head;
    }

    synchronized List<Fault> pending() {
        List<Fault> all = new ArrayList<>();
        queues.values().forEach(all::addAll);
        return all;
    }

    synchronized void clear() {
        queues.clear();
    }
}
