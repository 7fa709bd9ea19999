package io.scaflow.events;

import io.scaflow.json.Timestamps;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** The status events on an EventBridge bus, with PutEvents: source {@code scaflow}, the flow's time of change. */
public final class EventBridgeBus implements EventBus {

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeBus(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public int put(List<StatusEvent> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " events a call, not " + batch.size());
        }
        List<PutEventsRequestEntry> entries = batch.stream().map(this::entry).toList();
        List<PutEventsResultEntry> results = events.putEvents(b -> b.entries(entries)).entries();
        for (int i = 0; i < batch.size(); i++) {
            if (i >= results.size() || results.get(i).errorCode() != null || results.get(i).eventId() == null) {
                return i;
            }
        }
        return batch.size();
    }

    private PutEventsRequestEntry entry(StatusEvent event) {
        PutEventsRequestEntry.Builder entry = PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(StatusEvent.SOURCE)
                .detailType(event.detailType())
                .detail(event.detail().toString());
        if (event.time() != null) {
            try {
                entry.time(Timestamps.parse(event.time()));
            } catch (IllegalArgumentException e) {
                // EventBridge then sets the time it received the event
            }
        }
        return entry.build();
    }
}
