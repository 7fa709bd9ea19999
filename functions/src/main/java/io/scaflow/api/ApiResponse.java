package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.input.FieldError;
import io.scaflow.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** An API Gateway proxy response: status, headers, JSON body. */
public record ApiResponse(int statusCode, Map<String, String> headers, JsonNode body) {

    public static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), body);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(statusCode, Map.copyOf(all), body);
    }

    public static ApiResponse problem(Problem problem, String instance) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("type", Problem.TYPE_BASE + problem.slug())
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.getMessage());
        if (instance != null && !instance.isEmpty()) {
            body.put("instance", instance);
        }
        if (!problem.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            for (FieldError error : problem.errors()) {
                errors.addObject().put("field", error.field()).put("reason", error.reason());
            }
        }
        return new ApiResponse(problem.status(), Map.of("Content-Type", "application/problem+json"), body);
    }

    /** The proxy integration's answer: the body as JSON text. */
    public ObjectNode toProxyResult() {
        ObjectNode result = Json.MAPPER.createObjectNode().put("statusCode", statusCode);
        ObjectNode headerNode = result.putObject("headers");
        headers.forEach(headerNode::put);
        result.put("body", body == null ? "" : body.toString());
        result.put("isBase64Encoded", false);
        return result;
    }
}
