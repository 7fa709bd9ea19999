package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.input.FieldError;
import io.scaflow.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** An API Gateway proxy response: status, headers, JSON body. */
public record ApiResponse(int statusCode, Map<String, String> headers, JsonNode body) {

    /** Paths echoed as {@code instance}: segments of letters, digits, '-' and '_' only, 200 characters at most. */
    private static final Pattern SAFE_INSTANCE = Pattern.compile("(?=.{1,200}$)(/[A-Za-z0-9_-]+)+");

    public static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), body);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(statusCode, Map.copyOf(all), body);
    }

    /**
     * The problem document: {@code type}, {@code code} (the same stable code, for clients that match on it),
     * {@code title}, {@code status}, {@code detail}, {@code instance} (the request's path, when it is made of letters,
     * digits, '-' and '_' only: an odd path is never echoed) and {@code errors}. A 415 also names what the API reads in
     * {@code Accept} (RFC 9110, 15.5.16).
     */
    public static ApiResponse problem(Problem problem, String instance) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("type", Problem.TYPE_BASE + problem.slug())
                .put("code", problem.slug())
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.getMessage());
        if (instance != null && SAFE_INSTANCE.matcher(instance).matches()) {
            body.put("instance", instance);
        }
        if (!problem.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            for (FieldError error : problem.errors()) {
                errors.addObject().put("field", error.field()).put("reason", error.reason());
            }
        }
        ApiResponse response = new ApiResponse(problem.status(), Map.of("Content-Type", "application/problem+json"), body);
        if (problem.retryAfterSeconds() >= 0) {
            response = response.withHeader("Retry-After", Long.toString(problem.retryAfterSeconds()));
        }
        return problem.status() == 415 ? response.withHeader("Accept", JsonContentType.JSON) : response;
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
