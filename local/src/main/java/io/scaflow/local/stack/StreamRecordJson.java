package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * A DynamoDB Streams record (GetRecords) as Lambda's event source mapping hands it to a function: {@code eventID,
 * eventName, eventVersion, eventSource, awsRegion, dynamodb {ApproximateCreationDateTime, Keys, NewImage,
 * OldImage, SequenceNumber, SizeBytes, StreamViewType}, eventSourceARN}, the images in DynamoDB's JSON.
 */
final class StreamRecordJson {

    private StreamRecordJson() {
    }

    static ObjectNode of(Record record, String streamArn, String region) {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("eventID", record.eventID())
                .put("eventName", record.eventNameAsString())
                .put("eventVersion", record.eventVersion() == null ? "1.1" : record.eventVersion())
                .put("eventSource", "aws:dynamodb")
                .put("awsRegion", region);
        StreamRecord change = record.dynamodb();
        ObjectNode dynamodb = json.putObject("dynamodb");
        if (change.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", change.approximateCreationDateTime().getEpochSecond());
        }
        dynamodb.set("Keys", image(change.keys()));
        if (change.hasNewImage()) {
            dynamodb.set("NewImage", image(change.newImage()));
        }
        if (change.hasOldImage()) {
            dynamodb.set("OldImage", image(change.oldImage()));
        }
        dynamodb.put("SequenceNumber", change.sequenceNumber());
        if (change.sizeBytes() != null) {
            dynamodb.put("SizeBytes", change.sizeBytes());
        }
        dynamodb.put("StreamViewType", change.streamViewTypeAsString());
        json.put("eventSourceARN", streamArn);
        return json;
    }

    static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode image = Json.MAPPER.createObjectNode();
        item.forEach((name, value) -> image.set(name, value(value)));
        return image;
    }

    private static JsonNode value(AttributeValue value) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case B -> node.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BOOL -> node.put("BOOL", value.bool());
            case NUL -> node.put("NULL", true);
            case SS -> {
                ArrayNode set = node.putArray("SS");
                value.ss().forEach(set::add);
            }
            case NS -> {
                ArrayNode set = node.putArray("NS");
                value.ns().forEach(set::add);
            }
            case BS -> {
                ArrayNode set = node.putArray("BS");
                value.bs().forEach(b -> set.add(Base64.getEncoder().encodeToString(b.asByteArray())));
            }
            case L -> {
                ArrayNode list = node.putArray("L");
                value.l().forEach(element -> list.add(value(element)));
            }
            case M -> {
                ObjectNode map = node.putObject("M");
                value.m().forEach((name, element) -> map.set(name, value(element)));
            }
            default -> throw new IllegalArgumentException("unknown attribute type " + value.type());
        }
        return node;
    }
}
