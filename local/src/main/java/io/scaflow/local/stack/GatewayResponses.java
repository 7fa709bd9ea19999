package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway's own answers (gateway responses) for a REST API: the ones the API's definition declares under
 * {@code x-amazon-apigateway-gateway-responses}, else API Gateway's defaults.
 *
 * <p>A declared response of a type wins; else a declared {@code DEFAULT_4XX} / {@code DEFAULT_5XX} (by the type's
 * default status); else API Gateway's default, {@code {"message": "..."}} as JSON. Declared responses may set
 * {@code statusCode}, static headers ({@code gatewayresponse.header.NAME: "'value'"}) and one response template,
 * whose {@code $context.requestId}, {@code $context.error.message}, {@code $context.error.messageString} and
 * {@code $context.error.responseType} are filled in as API Gateway does. See docs/local-stack.md.
 */
final class GatewayResponses {

    /** The gateway response types the local gateway produces, with API Gateway's default status and message. */
    enum Type {
        MISSING_AUTHENTICATION_TOKEN(403, "Missing Authentication Token"),
        /** SigV4 (make run SIGV4=1): an unknown access key or a wrong session token. */
        ACCESS_DENIED(403, SigV4Verifier.INVALID_TOKEN),
        /** SigV4: a signature that does not match, expired or not yet current, a scope of another date. */
        INVALID_SIGNATURE(403, SigV4Verifier.MISMATCH),
        /**
         * SigV4: an Authorization header without its parts, a scope of another region or service (API Gateway's
         * IncompleteSignatureException; no gateway response type of its own: rendered as INVALID_SIGNATURE).
         */
        INCOMPLETE_SIGNATURE(403, "Incomplete signature", "INVALID_SIGNATURE"),
        /** The event is over Lambda's 6 MB synchronous payload (Lambda's 413 RequestTooLargeException). */
        REQUEST_TOO_LARGE(413, "Request Too Long"),
        /** Lambda refused the invocation (throttled, a service error, no connection): 500 in API Gateway. */
        INTEGRATION_FAILURE(500, "Internal server error"),
        INTEGRATION_TIMEOUT(504, "Endpoint request timed out"),
        /** The function failed or answered something that is not a proxy response (no type of its own). */
        BAD_GATEWAY(502, "Internal server error");

        final int defaultStatus;
        final String message;
        /** The gateway response type it is declared and reported as ($context.error.responseType). */
        final String responseType;

        Type(int defaultStatus, String message) {
            this(defaultStatus, message, null);
        }

        Type(int defaultStatus, String message, String responseType) {
            this.defaultStatus = defaultStatus;
            this.message = message;
            this.responseType = responseType == null ? name() : responseType;
        }
    }

    /** A rendered gateway response. */
    record Response(int status, Map<String, String> headers, byte[] body) {
    }

    private record Declared(Optional<Integer> status, Map<String, String> headers, Optional<String> contentType,
                            Optional<String> template) {
    }

    private static final String HEADER_PREFIX = "gatewayresponse.header.";

    private final Map<String, Declared> declared;

    private GatewayResponses(Map<String, Declared> declared) {
        this.declared = declared;
    }

    /** API Gateway's defaults only. */
    static GatewayResponses defaults() {
        return new GatewayResponses(Map.of());
    }

    /** The responses an API definition (OpenAPI with API Gateway's extensions) declares. */
    static GatewayResponses from(JsonNode apiDefinition) {
        Map<String, Declared> declared = new LinkedHashMap<>();
        apiDefinition.path("x-amazon-apigateway-gateway-responses").properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            Optional<Integer> status = value.hasNonNull("statusCode")
                    ? Optional.of(Integer.parseInt(value.get("statusCode").asText().trim())) : Optional.empty();
            Map<String, String> headers = new LinkedHashMap<>();
            value.path("responseParameters").properties().forEach(p -> {
                if (!p.getKey().startsWith(HEADER_PREFIX)) {
                    throw new IllegalArgumentException("gateway response " + entry.getKey() + ": only "
                            + HEADER_PREFIX + "* parameters are emulated, not " + p.getKey());
                }
                headers.put(p.getKey().substring(HEADER_PREFIX.length()), staticValue(entry.getKey(), p.getValue()));
            });
            Optional<Map.Entry<String, JsonNode>> template = value.path("responseTemplates").properties().stream()
                    .findFirst();
            declared.put(entry.getKey().toUpperCase(Locale.ROOT), new Declared(status, Map.copyOf(headers),
                    template.map(Map.Entry::getKey), template.map(t -> t.getValue().asText())));
        });
        return new GatewayResponses(Map.copyOf(declared));
    }

    /** The response of {@code type} for the request {@code requestId}. */
    Response render(Type type, String requestId) {
        return render(type, requestId, null);
    }

    /** As {@link #render(Type, String)} with another message than the type's (null: the type's). */
    Response render(Type type, String requestId, String message) {
        String text = message == null ? type.message : message;
        Declared response = declared.get(type.responseType);
        if (response == null && type != Type.BAD_GATEWAY) {
            response = declared.get(type.defaultStatus < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX");
        } else if (response == null) {
            response = declared.get("DEFAULT_5XX");
        }
        String responseType = type == Type.BAD_GATEWAY ? "DEFAULT_5XX" : type.responseType;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amzn-ErrorType", errorType(type));
        if (response == null || response.template.isEmpty()) {
            headers.put("Content-Type", "application/json");
            if (response != null) {
                headers.putAll(response.headers);
            }
            int status = response == null ? type.defaultStatus : response.status.orElse(type.defaultStatus);
            return new Response(status, headers, messageBody(text));
        }
        headers.put("Content-Type", response.contentType.orElse("application/json"));
        headers.putAll(response.headers);
        String body = response.template.get()
                .replace("$context.requestId", requestId)
                .replace("$context.error.messageString", Json.MAPPER.valueToTree(text).toString())
                .replace("$context.error.message", text)
                .replace("$context.error.responseType", responseType);
        return new Response(response.status.orElse(type.defaultStatus), headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String errorType(Type type) {
        return switch (type) {
            case MISSING_AUTHENTICATION_TOKEN -> "MissingAuthenticationTokenException";
            case ACCESS_DENIED -> "AccessDeniedException";
            case INVALID_SIGNATURE -> "InvalidSignatureException";
            case INCOMPLETE_SIGNATURE -> "IncompleteSignatureException";
            case REQUEST_TOO_LARGE -> "BadRequestException";
            default -> "InternalServerErrorException";
        };
    }

    private static byte[] messageBody(String message) {
        try {
            return Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode().put("message", message));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code "'1'"} is the static value {@code 1}; mappings from the request are not emulated. */
    private static String staticValue(String type, JsonNode value) {
        String text = value.asText();
        if (text.length() < 2 || !text.startsWith("'") || !text.endsWith("'")) {
            throw new IllegalArgumentException("gateway response " + type + ": only static ('quoted') header values"
                    + " are emulated, not " + text);
        }
        return text.substring(1, text.length() - 1);
    }
}
