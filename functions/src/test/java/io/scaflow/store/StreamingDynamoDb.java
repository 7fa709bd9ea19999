package io.scaflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The in-memory table with a DynamoDB stream (NEW_AND_OLD_IMAGES): every write that applied gives one record in
 * the shape Lambda's event source mapping hands the function ({@code Records[].dynamodb.OldImage/NewImage} in
 * DynamoDB's JSON), with a growing sequence number; a write whose condition failed gives none.
 */
public final class StreamingDynamoDb extends InMemoryDynamoDb {

    private final List<ObjectNode> records = new ArrayList<>();
    private long sequence = 100;

    @Override
    public synchronized PutItemResponse putItem(PutItemRequest request) {
        Map<String, AttributeValue> old = item(request.item().get(FlowItem.FLOW_ID).s());
        PutItemResponse response = super.putItem(request);
        record(old, item(request.item().get(FlowItem.FLOW_ID).s()));
        return response;
    }

    @Override
    public synchronized UpdateItemResponse updateItem(UpdateItemRequest request) {
        Map<String, AttributeValue> old = item(request.key().get(FlowItem.FLOW_ID).s());
        UpdateItemResponse response = super.updateItem(request);
        record(old, item(request.key().get(FlowItem.FLOW_ID).s()));
        return response;
    }

    /** The records so far, as one Lambda event ({@code {"Records": [...]}}). */
    public synchronized ObjectNode event() {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode list = event.putArray("Records");
        records.forEach(list::add);
        return event;
    }

    public synchronized List<ObjectNode> records() {
        return List.copyOf(records);
    }

    private void record(Map<String, AttributeValue> old, Map<String, AttributeValue> now) {
        ObjectNode record = Json.MAPPER.createObjectNode()
                .put("eventID", "e" + sequence)
                .put("eventName", old == null ? "INSERT" : "MODIFY")
                .put("eventVersion", "1.1")
                .put("eventSource", "aws:dynamodb")
                .put("awsRegion", "eu-west-3")
                .put("eventSourceARN",
                        "arn:aws:dynamodb:eu-west-3:123456789012:table/flows/stream/2026-12-01T00:00:00.000");
        ObjectNode change = record.putObject("dynamodb");
        change.putObject("Keys").set(FlowItem.FLOW_ID, json(now.get(FlowItem.FLOW_ID)));
        if (old != null) {
            change.set("OldImage", image(old));
        }
        change.set("NewImage", image(now));
        change.put("SequenceNumber", Long.toString(++sequence)).put("SizeBytes", 100)
                .put("StreamViewType", "NEW_AND_OLD_IMAGES");
        records.add(record);
    }

    /** An item in DynamoDB's JSON form, as stream images hold it. */
    public static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode image = Json.MAPPER.createObjectNode();
        item.forEach((name, value) -> image.set(name, json(value)));
        return image;
    }

    private static JsonNode json(AttributeValue value) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case B -> node.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BOOL -> node.put("BOOL", value.bool());
            case NUL -> node.put("NULL", true);
            case SS -> value.ss().forEach(node.putArray("SS")::add);
            case NS -> value.ns().forEach(node.putArray("NS")::add);
            case L -> {
                ArrayNode list = node.putArray("L");
                value.l().forEach(element -> list.add(json(element)));
            }
            case M -> {
                ObjectNode map = node.putObject("M");
                value.m().forEach((name, element) -> map.set(name, json(element)));
            }
            default -> throw new IllegalArgumentException("attribute type " + value.type());
        }
        return node;
    }
}
