package io.scaflow.shine;

import io.scaflow.core.Secret;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.json.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads Shine's answers: the {@code {"data": ..., "metadata": {}}} envelope, action requests, error bodies.
 * Unknown fields are ignored; a missing or malformed field that scaflow relies on is named in the error.
 */
final class WireFormat {

    /** Ids go into URL paths: letters, digits and {@code - _ .} only. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_MESSAGE = 300;
    /** A result larger than this is not kept (a flow item holds at most 400 KB in DynamoDB). */
    static final int MAX_RESULT_CHARS = 64 * 1024;

    private WireFormat() {
    }

    static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static JsonNode data(String endpoint, String body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ShineMalformedResponseException(endpoint + ": the answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ShineMalformedResponseException(endpoint + ": the answer is not a JSON object");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new ShineMalformedResponseException(endpoint + ": the answer has no 'data' object");
        }
        return data;
    }

    static ActionRequest actionRequest(String endpoint, JsonNode data) {
        String id = text(data, "authenticationActionRequestId")
                .orElseThrow(() -> missing(endpoint, "authenticationActionRequestId"));
        if (!isValidId(id)) {
            throw new ShineMalformedResponseException(
                    endpoint + ": data.authenticationActionRequestId holds characters an id may not have");
        }
        String rawStatus = text(data, "status").orElseThrow(() -> missing(endpoint, "status"));
        ActionRequestStatus status = ActionRequestStatus.from(rawStatus);
        // A CONFIRMED answer without its token (absent, null or blank) is not an error: the caller polls again.
        Optional<Secret> token = text(data, "token").map(Secret::of);
        Instant expiresAt = instant(endpoint, data, "expiresAt").orElseThrow(() -> missing(endpoint, "expiresAt"));
        return new ActionRequest(
                id,
                text(data, "clientId").orElse(null),
                text(data, "action").orElse(null),
                data.get("payload"),
                text(data, "uid").orElse(null),
                status,
                rawStatus,
                token,
                instant(endpoint, data, "createdAt").orElse(null),
                instant(endpoint, data, "updatedAt").orElse(null),
                expiresAt);
    }

    /**
     * The body of a 2xx answer to an executed action, read as far as it can be: the envelope's {@code data}, a plain
     * JSON object, another JSON value, nothing, or unreadable. Never throws: the status alone says the action was
     * done. {@code bodyLost} is true when the body did not arrive whole after the status.
     */
    static ActionResult actionResult(int status, String body, boolean bodyLost) {
        if (bodyLost) {
            return new ActionResult(status, ActionResult.Shape.UNREADABLE, null);
        }
        if (body == null || body.isBlank()) {
            return new ActionResult(status, ActionResult.Shape.EMPTY, null);
        }
        if (body.length() > MAX_RESULT_CHARS) {
            return new ActionResult(status, ActionResult.Shape.UNREADABLE, null);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return new ActionResult(status, ActionResult.Shape.UNREADABLE, null);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ActionResult(status, ActionResult.Shape.EMPTY, null);
        }
        if (!root.isObject()) {
            return new ActionResult(status, ActionResult.Shape.OTHER_JSON, root);
        }
        if (root.has("data")) {
            JsonNode data = root.get("data");
            return new ActionResult(status, ActionResult.Shape.ENVELOPE, data.isNull() ? null : data);
        }
        return new ActionResult(status, ActionResult.Shape.OBJECT, root);
    }

    /** Shine's message from an error body, if it has one; shortened, and never the whole body. */
    static String errorMessage(String body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return "";
        }
        if (root == null || !root.isObject()) {
            return "";
        }
        for (JsonNode candidate : new JsonNode[] {
                root.path("error").path("message"), root.path("message"), root.path("error"),
                root.path("errors").path(0).path("message"), root.path("detail"), root.path("title")}) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                String message = candidate.asText().strip();
                return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
            }
        }
        return "";
    }

    private static Optional<String> text(JsonNode data, String field) {
        JsonNode node = data.get(field);
        return node != null && node.isTextual() && !node.asText().isBlank()
                ? Optional.of(node.asText()) : Optional.empty();
    }

    private static Optional<Instant> instant(String endpoint, JsonNode data, String field) {
        Optional<String> text = text(data, field);
        try {
            return text.map(Timestamps::parse);
        } catch (IllegalArgumentException e) {
            throw new ShineMalformedResponseException(endpoint + ": data." + field + " is not an ISO-8601 timestamp");
        }
    }

    private static ShineMalformedResponseException missing(String endpoint, String field) {
        return new ShineMalformedResponseException(endpoint + ": data." + field + " is missing");
    }
}
