package io.scaflow.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.aws.AwsClients;
import io.scaflow.config.Env;
import io.scaflow.json.Json;
import io.scaflow.log.Log;
import io.scaflow.store.FlowImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outbox's publisher: receives the flow table's DynamoDB Streams records (Lambda's event source mapping, in the
 * order of the writes, per flow) and puts each flow's status events on the EventBridge bus ({@link StatusEvent}:
 * a status change, the reminder becoming due). Only the whitelisted attributes of the images are read
 * ({@link FlowImage}): the tokens' ciphertext, the payload and the uid never leave the table.
 *
 * <p>The events go in the records' order, ten at a time; at the first one the bus did not take, the handler stops
 * and reports that record as the batch's failure ({@code batchItemFailures}, the mapping's
 * ReportBatchItemFailures): Lambda retries from it, so what was put is not put again by this batch, and what
 * follows is never put before it. Delivery is at least once (a retried batch, a record read twice): the flow's
 * sequence number lets the consumer drop a repeat.
 */
public final class PublishStatusEventsHandler implements RequestStreamHandler {

    private static final Log LOG = Log.of(PublishStatusEventsHandler.class);

    private final EventBus bus;

    public PublishStatusEventsHandler() {
        this(Env.system());
    }

    public PublishStatusEventsHandler(Env env) {
        this(new EventBridgeBus(AwsClients.eventBridge(env), env.required("EVENT_BUS_NAME")));
    }

    public PublishStatusEventsHandler(EventBus bus) {
        this.bus = bus;
    }

    /** A record's event, with the record's sequence number (its id in a batch failure). */
    private record Pending(String recordSequence, StatusEvent event) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode records = Json.MAPPER.readTree(input).path("Records");
        List<Pending> pending = new ArrayList<>();
        for (JsonNode record : records) {
            JsonNode change = record.path("dynamodb");
            StatusEvent.of(FlowImage.of(change.get("OldImage")), FlowImage.of(change.get("NewImage")))
                    .ifPresent(event -> pending.add(new Pending(change.path("SequenceNumber").asText(""), event)));
        }
        Optional<String> failed = publish(pending);
        ObjectNode response = Json.MAPPER.createObjectNode();
        failed.ifPresent(id -> response.putArray("batchItemFailures").addObject().put("itemIdentifier", id));
        if (failed.isEmpty()) {
            response.putArray("batchItemFailures");
        }
        LOG.info("status events", "records", records.size(), "events", pending.size(),
                "failedAt", failed.orElse(null));
        Json.MAPPER.writeValue(output, response);
    }

    /** Puts the events in order; the record of the first one not taken, if any. */
    private Optional<String> publish(List<Pending> pending) {
        for (int from = 0; from < pending.size(); from += EventBus.MAX_BATCH) {
            List<Pending> chunk = pending.subList(from, Math.min(pending.size(), from + EventBus.MAX_BATCH));
            int taken;
            try {
                taken = bus.put(chunk.stream().map(Pending::event).toList());
            } catch (RuntimeException e) {
                LOG.warn("status events not put", "error", e.getClass().getSimpleName());
                taken = 0;
            }
            for (Pending done : chunk.subList(0, Math.min(taken, chunk.size()))) {
                LOG.info("status event", "flowId", done.event().flowId(), "sequence", done.event().sequence(),
                        "status", done.event().status(), "detailType", done.event().detailType());
            }
            if (taken < chunk.size()) {
                return Optional.of(chunk.get(Math.max(0, taken)).recordSequence());
            }
        }
        return Optional.empty();
    }
}
