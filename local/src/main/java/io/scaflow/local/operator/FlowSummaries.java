package io.scaflow.local.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.json.Timestamps;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The flows of the local stack's table (moto), one line each for the operator page: id, status, attempt, amount,
 * age, whether the reminder is due, and whether the flow waits for a person (OUTCOME_UNKNOWN). A scan of the table;
 * the usage counters (items without a status) are left out, and no token attribute is ever read into the answer.
 */
final class FlowSummaries {

    /** The newest flows shown. */
    static final int LIMIT = 200;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration reminderDelay;
    private final Clock clock;

    FlowSummaries(DynamoDbClient dynamo, String table, Duration reminderDelay, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.reminderDelay = reminderDelay;
        this.clock = clock;
    }

    /** {@code {"now", "flows": [...]}}, the newest first. */
    ObjectNode list() {
        Instant now = clock.instant();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
            if (item.containsKey("status") && item.containsKey("createdAt")) {
                items.add(item);
            }
        });
        items.sort(Comparator.comparing((Map<String, AttributeValue> item) -> item.get("createdAt").s()).reversed());
        ObjectNode answer = Json.MAPPER.createObjectNode().put("now", Timestamps.format(now));
        ArrayNode flows = answer.putArray("flows");
        items.stream().limit(LIMIT).forEach(item -> flows.add(summary(item, now)));
        return answer;
    }

    private ObjectNode summary(Map<String, AttributeValue> item, Instant now) {
        String status = item.get("status").s();
        Instant created = Timestamps.parse(item.get("createdAt").s());
        ObjectNode flow = Json.MAPPER.createObjectNode().put("id", item.get("flowId").s()).put("status", status);
        if (item.containsKey("attempt") && !"0".equals(item.get("attempt").n())) {
            flow.put("attempt", Integer.parseInt(item.get("attempt").n()));
        }
        JsonNode payload = payload(item.get("payload"));
        if (payload.has("amount")) {
            flow.set("amount", payload.get("amount"));
        }
        text(flow, "action", item.get("action"));
        text(flow, "uid", item.get("uid"));
        text(flow, "owner", item.get("owner"));
        flow.put("createdAt", Timestamps.format(created));
        flow.put("ageSeconds", Math.max(0, Duration.between(created, now).toSeconds()));
        boolean due = "AWAITING_CONFIRMATION".equals(status)
                && (bool(item.get("reminderDue")) || (item.containsKey("awaitingSince")
                && !now.isBefore(Timestamps.parse(item.get("awaitingSince").s()).plus(reminderDelay))));
        flow.put("reminderDue", due);
        flow.put("needsReconciliation", "OUTCOME_UNKNOWN".equals(status));
        return flow;
    }

    private static JsonNode payload(AttributeValue value) {
        if (value == null || value.s() == null) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            return Json.MAPPER.readTree(value.s());
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static boolean bool(AttributeValue value) {
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    private static void text(ObjectNode flow, String name, AttributeValue value) {
        if (value != null && value.s() != null) {
            flow.put(name, value.s());
        }
    }
}
