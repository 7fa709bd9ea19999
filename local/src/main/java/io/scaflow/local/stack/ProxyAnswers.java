package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Lambda proxy integration's answer (payload format 1.0: {@code statusCode}, {@code headers},
 * {@code multiValueHeaders}, {@code body}, {@code isBase64Encoded}) as the HTTP response {@link LocalApiGateway}
 * sends; anything else is not an answer, and the gateway says 502 instead.
 */
final class ProxyAnswers {

    private ProxyAnswers() {
    }

    /** Sends the function's proxy answer; false (nothing sent) when it is not one. */
    static boolean answer(HttpExchange exchange, byte[] payload) throws IOException {
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            return false;
        }
        if (answer == null || !answer.isObject()) {
            return false;
        }
        JsonNode statusCode = answer.get("statusCode");
        int status = statusCode == null ? -1 : statusCode.isInt() ? statusCode.asInt()
                : statusCode.isTextual() && statusCode.asText().matches("\\d{3}") ? Integer.parseInt(statusCode.asText())
                : -1;
        if (status < 100 || status > 599) {
            return false;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        answer.path("multiValueHeaders").properties().forEach(h -> {
            List<String> values = new ArrayList<>();
            h.getValue().forEach(v -> values.add(v.asText()));
            headers.put(h.getKey(), values);
        });
        answer.path("headers").properties().forEach(h -> {
            if (h.getValue().isValueNode() && !h.getValue().isNull()) {
                headers.put(h.getKey(), List.of(h.getValue().asText()));
            }
        });
        byte[] body;
        JsonNode bodyNode = answer.get("body");
        if (bodyNode == null || bodyNode.isNull()) {
            body = new byte[0];
        } else if (answer.path("isBase64Encoded").asBoolean(false)) {
            try {
                body = Base64.getDecoder().decode(bodyNode.asText());
            } catch (IllegalArgumentException e) {
                return false;
            }
        } else {
            body = (bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString()).getBytes(StandardCharsets.UTF_8);
        }
        headers.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        send(exchange, status, body);
        return true;
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean noBody = body.length == 0 || "HEAD".equals(exchange.getRequestMethod()) || status == 204
                || status == 304;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
