package io.scaflow.local.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.json.Timestamps;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The faults that let a call be processed and then change its answer: Shine answers its documentation allows but
 * its samples do not show (other timestamp shapes, unknown fields, a token not shown yet, an unknown status, other
 * 2xx transfer answers), and answers that leave the client without a usable one (500 after processing, a reset
 * connection, a body that is not JSON).
 */
final class AnswerShapes {

    static final String UNKNOWN_STATUS = "IN_REVIEW";

    private AnswerShapes() {
    }

    /** The answer to a processed call: {@code status} and {@code body} as processing gave them, then the fault. */
    static HttpAnswer answer(int status, ObjectNode body, Fault fault) {
        if (fault == null) {
            return HttpAnswer.json(status, body);
        }
        switch (fault.kind()) {
            case MALFORMED:
                return HttpAnswer.json(status, body).malformed();
            case ERROR_500_PROCESSED:
                return HttpAnswer.json(500, WireFormat.error("INTERNAL_ERROR",
                        "injected fault: internal error after the call was processed"));
            case CONNECTION_RESET:
                return HttpAnswer.connectionReset();
            case TIMESTAMPS:
                return HttpAnswer.json(status, timestamps(body, fault.fractionDigits(), fault.offset()));
            case EXTRA_FIELDS:
                return HttpAnswer.json(status, extraFields(body));
            case TOKEN_ABSENT:
                data(body).remove("token");
                return HttpAnswer.json(status, body);
            case TOKEN_NULL:
                data(body).putNull("token");
                return HttpAnswer.json(status, body);
            case UNKNOWN_STATUS:
                if ("PENDING".equals(data(body).path("status").asText())) {
                    data(body).put("status", UNKNOWN_STATUS);
                }
                return HttpAnswer.json(status, body);
            case SUCCESS_ANSWER:
                return successAnswer(fault.status(), fault.body(), body);
            case ODD_TOKEN:
                if (data(body).path("token").isTextual()) {
                    data(body).put("token", data(body).get("token").asText() + Fault.ODD_TOKEN_SUFFIX);
                }
                return HttpAnswer.json(status, body);
            default:
                return HttpAnswer.json(status, body);
        }
    }

    /** Every {@code ...At} timestamp rewritten with {@code digits} fraction digits and {@code offset}. */
    static ObjectNode timestamps(ObjectNode root, int digits, String offset) {
        DateTimeFormatter format = formatter(digits, offset);
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(root, objects);
        for (ObjectNode object : objects) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (name.endsWith("At") && value.isTextual()) {
                    try {
                        object.put(name, format.format(Timestamps.parse(value.asText())));
                    } catch (IllegalArgumentException notATimestamp) {
                        // a payload field that only looks like one: left as it is
                    }
                }
            }
        }
        return root;
    }

    /** Unknown fields in the envelope, its data, the payload and the metadata; a null token while there is none. */
    static ObjectNode extraFields(ObjectNode root) {
        root.put("apiVersion", "2.1");
        root.putArray("links").addObject().put("rel", "self").put("href", "/unknown");
        ObjectNode data = data(root);
        if (data.has("authenticationActionRequestId") && !data.has("token")) {
            data.putNull("token");
        }
        data.put("scaVersion", 3);
        data.putObject("channel").put("kind", "push").putNull("sentAt").putArray("devices").add("phone");
        if (data.get("payload") instanceof ObjectNode payload) {
            payload.putObject("extra").put("unknown", true).putNull("note");
        }
        JsonNode metadata = root.get("metadata");
        ObjectNode meta = metadata instanceof ObjectNode object ? object : root.putObject("metadata");
        meta.put("requestId", "sandbox-request").putObject("pagination").putNull("next");
        return root;
    }

    private static HttpAnswer successAnswer(int status, Fault.Body shape, ObjectNode envelope) {
        switch (shape) {
            case NONE:
                return new HttpAnswer(status, Map.of(), new byte[0]);
            case OBJECT:
                return HttpAnswer.json(status, data(envelope));
            default:
                return HttpAnswer.json(status, envelope);
        }
    }

    private static ObjectNode data(ObjectNode root) {
        JsonNode data = root.get("data");
        return data instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
        }
        node.elements().forEachRemaining(child -> collectObjects(child, into));
    }

    private static DateTimeFormatter formatter(int digits, String offset) {
        String fraction = digits == 0 ? "" : "." + "S".repeat(digits);
        if ("Z".equals(offset)) {
            return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss" + fraction + "'Z'").withZone(ZoneOffset.UTC);
        }
        return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss" + fraction + "xxx").withZone(ZoneOffset.of(offset));
    }
}
