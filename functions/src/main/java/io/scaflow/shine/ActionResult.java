package io.scaflow.shine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Shine's answer to an executed action. Any 2xx means the action was done, whatever its body: Shine's
 * documentation does not describe the transfer answer. {@code data} is what could be kept of the body (the
 * envelope's {@code data}, a plain JSON object or another JSON value), or null when there was none or it could not
 * be read; {@code shape} says which.
 */
public record ActionResult(int httpStatus, Shape shape, JsonNode data) {

    /** What the body of the 2xx answer was. */
    public enum Shape {
        /** {@code {"data": ..., "metadata": ...}}, as Shine's other answers. */
        ENVELOPE("an enveloped result"),
        /** A JSON object without the envelope. */
        OBJECT("a plain JSON object"),
        /** A JSON value that is not an object (array, string, number...). */
        OTHER_JSON("a JSON value that is not an object"),
        /** No body (204, or an empty or blank body). */
        EMPTY("no body"),
        /** A body that is not JSON, one that was cut off, or one too large to keep. */
        UNREADABLE("an unreadable body");

        private final String description;

        Shape(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** Fields naming the done action's id at Shine, looked up in this order. */
    private static final String[] ID_FIELDS = {"bankTransferId", "transferId", "id"};

    /** The id Shine gave the done action, if the body names one: what logs show instead of the result. */
    public Optional<String> id() {
        if (data == null || !data.isObject()) {
            return Optional.empty();
        }
        for (String field : ID_FIELDS) {
            JsonNode value = data.get(field);
            if (value != null && (value.isTextual() || value.isIntegralNumber()) && !value.asText().isBlank()) {
                return Optional.of(value.asText());
            }
        }
        return Optional.empty();
    }

    /** E.g. {@code HTTP 201 with an enveloped result}; never any of the body's content. */
    public String describe() {
        return "HTTP " + httpStatus + " with " + shape.description();
    }
}
