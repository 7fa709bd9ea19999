package io.scaflow.local.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The status events the local stack delivered to its events file ({@code target/run-events.jsonl}: one EventBridge
 * envelope per line, {@code detail} = {flowId, status, previousStatus, attempt, reminder, ended, sequence, time}),
 * those of one flow in the order of their sequence number. A line that is not such an envelope is skipped; a
 * missing file is no events.
 */
final class RunEvents {

    private final Path file;

    RunEvents(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    /** The events of {@code flowId}, by sequence (then time): what the operator page shows of each. */
    List<ObjectNode> of(String flowId) {
        if (!exists()) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<ObjectNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode envelope = parse(line);
            JsonNode detail = envelope == null ? null : envelope.get("detail");
            if (detail == null || !detail.isObject() || !flowId.equals(detail.path("flowId").asText(null))) {
                continue;
            }
            ObjectNode event = Json.MAPPER.createObjectNode();
            copy(envelope, "id", event, "eventId");
            copy(envelope, "detail-type", event, "detailType");
            copy(envelope, "source", event, "source");
            for (String field : List.of("sequence", "time", "status", "previousStatus", "attempt", "reminder", "ended")) {
                copy(detail, field, event, field);
            }
            if (!event.has("time")) {
                copy(envelope, "time", event, "time");
            }
            events.add(event);
        }
        events.sort(Comparator.comparingLong((ObjectNode e) -> e.path("sequence").asLong(Long.MAX_VALUE))
                .thenComparing(e -> e.path("time").asText("")));
        return events;
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String name) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull() && (value.isValueNode() || value.isObject())) {
            to.set(name, value);
        }
    }
}
