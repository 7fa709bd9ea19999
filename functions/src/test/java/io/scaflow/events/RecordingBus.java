package io.scaflow.events;

import java.util.ArrayList;
import java.util.List;

/** An {@link EventBus} in memory: keeps what it took, in order; refuses the n-th event, or fails whole calls. */
final class RecordingBus implements EventBus {

    final List<StatusEvent> taken = new ArrayList<>();
    final List<Integer> callSizes = new ArrayList<>();
    private int refuseAt = -1;
    private int failingCalls;

    /** The {@code n}-th event put from now on (0-based) is refused once, with what follows it in its call. */
    RecordingBus refuse(int n) {
        refuseAt = taken.size() + n;
        return this;
    }

    /** The next {@code calls} calls fail as a whole (the service unreachable). */
    RecordingBus failCalls(int calls) {
        failingCalls = calls;
        return this;
    }

    @Override
    public int put(List<StatusEvent> events) {
        callSizes.add(events.size());
        if (events.size() > MAX_BATCH) {
            throw new IllegalArgumentException("too many events in one call: " + events.size());
        }
        if (failingCalls > 0) {
            failingCalls--;
            throw new IllegalStateException("unreachable");
        }
        for (int i = 0; i < events.size(); i++) {
            if (taken.size() == refuseAt) {
                refuseAt = -1;
                return i;
            }
            taken.add(events.get(i));
        }
        return events.size();
    }
}
