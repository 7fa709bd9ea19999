package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The parts of an API Gateway REST proxy event (payload 1.0) the API reads. Header names are case-insensitive. */
public record ApiRequest(String method, String resource, String path, Map<String, String> pathParameters,
                         Map<String, String> headers, String body, String caller) {

    public static ApiRequest from(JsonNode event) {
        String body = event.path("body").isTextual() ? event.get("body").asText() : null;
        if (body != null && event.path("isBase64Encoded").asBoolean(false)) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        JsonNode identity = event.path("requestContext").path("identity");
        String caller = firstText(identity.path("userArn"), identity.path("caller"),
                event.path("requestContext").path("accountId")).orElse("anonymous");
        return new ApiRequest(event.path("httpMethod").asText(""), event.path("resource").asText(""),
                event.path("path").asText(""), strings(event.path("pathParameters"), false),
                strings(event.path("headers"), true), body, caller);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    public Optional<String> pathParameter(String name) {
        return Optional.ofNullable(pathParameters.get(name));
    }

    private static Map<String, String> strings(JsonNode node, boolean caseInsensitive) {
        Map<String, String> values = caseInsensitive ? new TreeMap<>(String.CASE_INSENSITIVE_ORDER) : new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().isTextual()) {
                values.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return values;
    }

    private static Optional<String> firstText(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                return Optional.of(candidate.asText());
            }
        }
        return Optional.empty();
    }
}
