package io.scaflow.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * A request body as the API reads it: at most the configured number of bytes, strict JSON within the project
 * mapper's bounds ({@link Json#MAX_NESTING_DEPTH}, ...), an object. Whatever goes wrong while parsing is the
 * caller's 400 {@code malformed-json} naming {@code body}, never a 500: a parser failure is an unreadable body.
 * Reasons are the API's own words (Jackson's messages quote the input and name Java types).
 */
final class BodyReader {

    private BodyReader() {
    }

    static ObjectNode read(String text, int maxBytes) {
        if (text == null || text.isBlank()) {
            throw Problem.malformedBody("is empty: send a JSON object");
        }
        if (text.length() > maxBytes || text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw Problem.bodyTooLarge(maxBytes);
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw Problem.malformedBody(pastBound(String.valueOf(e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            String original = String.valueOf(e.getOriginalMessage());
            throw Problem.malformedBody((original.startsWith("Duplicate field")
                    ? "gives a field twice" : "is not valid JSON") + at(e.getLocation()));
        } catch (RuntimeException e) {
            throw Problem.malformedBody("is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw Problem.malformedBody("must be a JSON object");
        }
        return (ObjectNode) body;
    }

    private static String pastBound(String message) {
        if (message.contains("nesting depth")) {
            return "nests objects or arrays deeper than " + Json.MAX_NESTING_DEPTH + " levels";
        }
        if (message.contains("Number value length")) {
            return "holds a number longer than " + Json.MAX_NUMBER_LENGTH + " characters";
        }
        if (message.contains("String value length") || message.contains("Name length")) {
            return "holds a string longer than the API reads";
        }
        return "is past what the API reads";
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
