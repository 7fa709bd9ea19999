package io.scaflow.local.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.sun.net.httpserver.HttpExchange;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One incoming HTTP request, read once: method, path, query, headers, JSON body. */
final class HttpCall {

    /** Keeps numbers as sent: 234.50 stays 234.50 (the default tree reader would strip the zero). */
    private static final ObjectReader EXACT_READER = Json.MAPPER.reader()
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final int MAX_BODY = 1 << 20;

    private final HttpExchange exchange;
    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final byte[] body;

    HttpCall(HttpExchange exchange) throws IOException {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        this.path = exchange.getRequestURI().getRawPath();
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        try (InputStream in = exchange.getRequestBody()) {
            this.body = in.readNBytes(MAX_BODY);
        }
    }

    String method() {
        return method;
    }

    /** Path without query string. */
    String path() {
        return path;
    }

    String[] segments() {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String[] parts = trimmed.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
        }
        return parts;
    }

    String query(String name) {
        return query.get(name);
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The body as a JSON tree; 400 when it is empty or not JSON (the message never quotes the body). */
    JsonNode json() {
        if (body.length == 0) {
            throw SandboxException.badRequest("the body is empty: a JSON object is expected");
        }
        try {
            JsonNode node = EXACT_READER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw SandboxException.badRequest("the body is empty: a JSON object is expected");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw SandboxException.badRequest("malformed JSON body" + where);
        } catch (IOException e) {
            throw SandboxException.badRequest("unreadable body");
        }
    }

    /** The body as a JSON object, or an empty object when there is no body. */
    JsonNode jsonOrEmpty() {
        return body.length == 0 ? Json.MAPPER.createObjectNode() : json();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }
}
