package io.scaflow.local.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the sandbox answers: status, headers, body bytes (possibly none); or, when {@code resetsConnection}, no answer
 * at all: the connection is closed (status 0 in the call records).
 */
record HttpAnswer(int status, Map<String, String> headers, byte[] body, boolean resetsConnection) {

    HttpAnswer(int status, Map<String, String> headers, byte[] body) {
        this(status, headers, body, false);
    }

    /**
     * The CONNECTION_RESET fault: the connection is closed without a status line. The JDK server gives no access to
     * the socket for a TCP RST; the client sees the same thing either way, an I/O error after it sent the request.
     */
    static HttpAnswer connectionReset() {
        return new HttpAnswer(0, Map.of(), new byte[0], true);
    }

    static HttpAnswer json(int status, JsonNode node) {
        try {
            return new HttpAnswer(status, jsonHeaders(), Json.MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static HttpAnswer error(SandboxException e) {
        return json(e.status(), WireFormat.error(e.code(), e.getMessage()));
    }

    static HttpAnswer noContent() {
        return new HttpAnswer(204, Map.of(), new byte[0]);
    }

    /** The MALFORMED fault: the status of the real answer, a JSON content type, a body that is not JSON. */
    HttpAnswer malformed() {
        byte[] garbage = "<html><body>502 upstream hiccup {\"data\": ".getBytes(StandardCharsets.UTF_8);
        return new HttpAnswer(status, jsonHeaders(), garbage);
    }

    HttpAnswer withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpAnswer(status, copy, body, resetsConnection);
    }

    private static Map<String, String> jsonHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        return headers;
    }
}
