package io.scaflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.core.Secret;
import io.scaflow.json.Json;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.InMemoryFlows;
import io.scaflow.store.KnownActionRequest;
import io.scaflow.store.StreamingDynamoDb;
import io.scaflow.testing.LambdaEvents;
import io.scaflow.testing.MutableClock;
import io.scaflow.testing.Repository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The outbox's publisher on the store's own stream records (the real {@code FlowStore} over a table that keeps a
 * stream): one event per status change and per reminder, in the order of the writes, with the whitelisted fields
 * only; a record the bus did not take is the batch's failure, and nothing after it is put.
 */
class PublishStatusEventsHandlerTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Set<String> DETAIL_FIELDS = Set.of("flowId", "action", "status", "previousStatus",
            "attempt", "reminder", "ended", "sequence", "time");

    private final MutableClock clock = new MutableClock(T0);
    private final StreamingDynamoDb table = new StreamingDynamoDb();
    private final InMemoryFlows flows = new InMemoryFlows(table, Duration.ofDays(1827), clock);
    private final RecordingBus bus = new RecordingBus();
    private final PublishStatusEventsHandler handler = new PublishStatusEventsHandler(bus);

    @Test
    void aConfirmedFlowGivesItsStatusChangesAndItsReminderInOrder() {
        confirmedFlow("f-1");

        JsonNode response = run(table.event());

        assertThat(response.path("batchItemFailures")).isEmpty();
        assertThat(bus.taken).extracting(StatusEvent::detailType).containsExactly(StatusEvent.STATUS_CHANGED,
                StatusEvent.STATUS_CHANGED, StatusEvent.REMINDER_DUE, StatusEvent.STATUS_CHANGED,
                StatusEvent.STATUS_CHANGED, StatusEvent.STATUS_CHANGED);
        assertThat(bus.taken).extracting(StatusEvent::status).containsExactly("PENDING", "AWAITING_CONFIRMATION",
                "AWAITING_CONFIRMATION", "CONFIRMED", "EXECUTING", "SUCCEEDED");
        assertThat(bus.taken).extracting(StatusEvent::previousStatus).containsExactly(null, "PENDING",
                "AWAITING_CONFIRMATION", "AWAITING_CONFIRMATION", "CONFIRMED", "EXECUTING");
        assertThat(bus.taken).extracting(StatusEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(bus.taken).extracting(StatusEvent::ended).containsExactly(false, false, false, false, false, true);
        assertThat(bus.taken).extracting(StatusEvent::reminder).containsExactly(false, false, true, true, true, true);
        assertThat(bus.taken.get(1).attempt()).isEqualTo(1);
        assertThat(bus.taken.get(5).time()).isEqualTo("2026-12-02T10:00:05.000000000Z");
    }

    @Test
    void theDetailHoldsTheWhitelistOnlyAndNoTokenNorItsCiphertext() {
        confirmedFlow("f-1");
        String records = table.event().toString();
        assertThat(records).as("the images do hold the ciphertext")
                .contains("\"accessTokenCiphertext\":{\"B\"", "shortLivedTokenCiphertext");

        run(table.event());

        for (StatusEvent event : bus.taken) {
            ObjectNode detail = event.detail();
            assertThat(detail.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(DETAIL_FIELDS);
            assertThat(detail.toString()).doesNotContain("access-token-of-u-1", "short-lived-of-u-1", "u-1",
                    "amount", "B\"");
        }
    }

    @Test
    void aRecordTheBusRefusesIsTheBatchFailureAndNothingAfterItIsPut() {
        confirmedFlow("f-1");
        List<JsonNode> records = List.copyOf(table.records());
        bus.refuse(3);   // CONFIRMED, the fourth event

        JsonNode response = run(table.event());

        assertThat(bus.taken).extracting(StatusEvent::sequence).containsExactly(1L, 2L, 3L);
        String failed = response.path("batchItemFailures").get(0).path("itemIdentifier").asText();
        assertThat(failed).isEqualTo(recordOfSequence(records, 4).path("dynamodb").path("SequenceNumber").asText());

        run(eventFrom(records, failed));   // Lambda's retry: from the failed record on
        assertThat(bus.taken).extracting(StatusEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aBusThatCannotBeReachedFailsTheBatchAtItsFirstEvent() {
        confirmedFlow("f-1");
        bus.failCalls(1);

        JsonNode response = run(table.event());

        assertThat(bus.taken).isEmpty();
        assertThat(response.path("batchItemFailures").get(0).path("itemIdentifier").asText())
                .isEqualTo(table.records().get(0).path("dynamodb").path("SequenceNumber").asText());
    }

    @Test
    void manyEventsGoTenACallInTheirOrder() {
        for (int i = 0; i < 12; i++) {
            flows.create(pending("f-" + i));
        }

        run(table.event());

        assertThat(bus.callSizes).containsExactly(10, 2);
        assertThat(bus.taken).extracting(StatusEvent::flowId)
                .containsExactly("f-0", "f-1", "f-2", "f-3", "f-4", "f-5", "f-6", "f-7", "f-8", "f-9", "f-10", "f-11");
    }

    @Test
    void writesBetweenChangesRemovalsAndItemsWithoutASequenceGiveNoEvent() throws IOException {
        flows.create(pending("f-1"));
        flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "created")
                .actionRequest("ar-1", 1, T0, T0.plusSeconds(60)));
        flows.record("f-1", KnownActionRequest.received("ar-2", 1, T0.plusSeconds(60)));
        ObjectNode event = table.event();
        ArrayNode list = (ArrayNode) event.get("Records");
        list.addObject().put("eventName", "REMOVE").putObject("dynamodb").put("SequenceNumber", "999")
                .set("OldImage", Json.MAPPER.readTree("{\"flowId\": {\"S\": \"f-0\"}, \"status\": {\"S\": \"SUCCEEDED\"}}"));
        list.addObject().put("eventName", "MODIFY").putObject("dynamodb").put("SequenceNumber", "1000")
                .set("NewImage", Json.MAPPER.readTree("{\"flowId\": {\"S\": \"old\"}, \"status\": {\"S\": \"FAILED\"}}"));
        list.addObject().put("eventName", "MODIFY").putObject("dynamodb").put("SequenceNumber", "1001")
                .set("NewImage", Json.MAPPER.readTree("{\"flowId\": {\"S\": \"user#u-1\"}, \"used\": {\"N\": \"3\"}}"));

        JsonNode response = run(event);

        assertThat(response.path("batchItemFailures")).isEmpty();
        assertThat(bus.taken).extracting(StatusEvent::sequence).containsExactly(1L, 2L);
    }

    @Test
    void aRecordReadTwiceGivesTheSameEventTwiceForTheConsumerToDrop() {
        flows.create(pending("f-1"));
        ObjectNode event = table.event();
        ((ArrayNode) event.get("Records")).add(table.records().get(0).deepCopy());

        run(event);

        assertThat(bus.taken).hasSize(2);
        assertThat(bus.taken.get(0)).isEqualTo(bus.taken.get(1));
    }

    @ParameterizedTest
    @EnabledIf(Repository.PRESENT)
    @Event(value = "../events/publish-status-events.json", type = Map.class)
    void theSampleEventGivesTheFlowsTwoStatusEvents(Map<String, Object> event) {
        JsonNode response = run(LambdaEvents.bytes(event));

        assertThat(response.path("batchItemFailures")).isEmpty();
        assertThat(bus.taken).extracting(StatusEvent::status).containsExactly("PENDING", "AWAITING_CONFIRMATION");
        assertThat(bus.taken.get(1).detail().toString()).isEqualTo("{\"flowId\":\"flow-0001\",\"action\":\"transfer\","
                + "\"status\":\"AWAITING_CONFIRMATION\",\"previousStatus\":\"PENDING\",\"attempt\":1,\"reminder\":false,"
                + "\"ended\":false,\"sequence\":2,\"time\":\"2026-12-02T10:00:01.000Z\"}");
    }

    /** A flow confirmed and sent, one second a step; its reminder came due while it waited. */
    private void confirmedFlow(String flowId) {
        flows.create(pending(flowId));
        clock.advanceSeconds(1);
        flows.change(flowId, FlowStatus.PENDING, FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "created")
                .actionRequest("ar-1", 1, clock.instant(), clock.instant().plusSeconds(60)));
        flows.record(flowId, KnownActionRequest.received("ar-2", 1, clock.instant().plusSeconds(60)));
        clock.advanceSeconds(1);
        flows.change(flowId, FlowStatus.AWAITING_CONFIRMATION, FlowChange.keepStatus().reminderDue());
        clock.advanceSeconds(1);
        flows.change(flowId, FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.CONFIRMED, "confirmed")
                .confirmed("ar-1", clock.instant(), Secret.of("short-lived-of-u-1")));
        clock.advanceSeconds(1);
        flows.change(flowId, FlowStatus.CONFIRMED, FlowChange.to(FlowStatus.EXECUTING, "sending")
                .forgetShortLivedToken());
        clock.advanceSeconds(1);
        flows.change(flowId, FlowStatus.EXECUTING, FlowChange.to(FlowStatus.SUCCEEDED, "sent")
                .executedAt(clock.instant()).forgetSecrets());
    }

    private Flow pending(String flowId) {
        return Flow.pending(flowId, "transfer", "u-1", Json.MAPPER.createObjectNode().put("amount", 234.5),
                Secret.of("access-token-of-u-1"), clock.instant());
    }

    private static JsonNode recordOfSequence(List<JsonNode> records, long sequence) {
        return records.stream()
                .filter(r -> r.path("dynamodb").path("NewImage").path("sequence").path("N").asText().equals(
                        Long.toString(sequence))
                        && !r.path("dynamodb").path("OldImage").path("sequence").path("N").asText().equals(
                        Long.toString(sequence)))
                .findFirst().orElseThrow();
    }

    private static ObjectNode eventFrom(List<JsonNode> records, String sequenceNumber) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode list = event.putArray("Records");
        boolean from = false;
        for (JsonNode record : records) {
            from |= record.path("dynamodb").path("SequenceNumber").asText().equals(sequenceNumber);
            if (from) {
                list.add(record);
            }
        }
        return event;
    }

    private JsonNode run(JsonNode event) {
        return run(event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private JsonNode run(byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
