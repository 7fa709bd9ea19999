package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of an API Gateway REST proxy event (payload 1.0) the API reads. Header names are case-insensitive, and
 * a header's values are gathered from {@code headers} and {@code multiValueHeaders} under every spelling of its
 * name (API Gateway passes names as sent, so {@code Idempotency-Key} and {@code idempotency-key} can both be
 * there). Values that are not strings are ignored. {@code caller} is the flow owner of the IAM identity that made
 * the request ({@link CallerIdentity}), null when it has none; {@code callerArn} that identity's own ARN (a role
 * session's, not the role's) and {@code callerId} its principal id ({@code identity.caller}), null when absent.
 * {@code basePath} is what the caller's URL has in front of the routes ({@link BasePath}: {@code /live} on the
 * execute-api domain).
 */
public record ApiRequest(String method, String resource, String path, Map<String, String> pathParameters,
                         Map<String, List<String>> headers, String body, String caller, String callerArn,
                         String callerId, String basePath) {

    /** The request of {@code event}; a Problem (400 {@code malformed-json}) when its body cannot be decoded. */
    public static ApiRequest from(JsonNode event) {
        JsonNode identity = event.path("requestContext").path("identity");
        String caller = CallerIdentity.owner(identity).orElse(null);
        Map<String, String> pathParameters = pathParameters(event.path("pathParameters"));
        return new ApiRequest(text(event.path("httpMethod")), text(event.path("resource")), text(event.path("path")),
                pathParameters, headers(event), body(event), caller, CallerIdentity.arn(identity).orElse(null),
                CallerIdentity.principalId(identity).orElse(null), BasePath.of(event, pathParameters));
    }

    /**
     * The header's value; empty when absent.
     *
     * @throws Problem 400 {@code invalid-input} naming the header when it was sent with different values
     */
    public Optional<String> header(String name) {
        List<String> values = headerValues(name);
        if (values.size() > 1) {
            throw Problem.invalidField(name, "was sent more than once with different values: send it once");
        }
        return values.stream().findFirst();
    }

    /** The header's distinct values, in the order sent (empty when absent). */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    public Optional<String> pathParameter(String name) {
        return Optional.ofNullable(pathParameters.get(name));
    }

    private static String body(JsonNode event) {
        if (!event.path("body").isTextual()) {
            return null;
        }
        String body = event.get("body").asText();
        if (!event.path("isBase64Encoded").asBoolean(false)) {
            return body;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getDecoder().decode(body)))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw Problem.malformedBody("is not base64-encoded UTF-8 text");
        }
    }

    /**
     * Each header's distinct values: those of {@code headers} (one per spelling of the name), and those of
     * {@code multiValueHeaders} when it lacks the header in {@code headers} or holds several values for it (the
     * header was sent more than once). A hand-edited event whose two maps disagree on a single value is read as
     * {@code headers} says.
     */
    private static Map<String, List<String>> headers(JsonNode event) {
        Map<String, List<String>> single = values(event.path("headers"), false);
        Map<String, List<String>> multi = values(event.path("multiValueHeaders"), true);
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        single.forEach((name, values) -> all.put(name, new ArrayList<>(values)));
        multi.forEach((name, values) -> {
            List<String> known = all.get(name);
            if (known == null) {
                all.put(name, new ArrayList<>(values));
            } else if (values.size() > 1) {
                values.stream().filter(value -> !known.contains(value)).forEach(known::add);
            }
        });
        all.replaceAll((name, values) -> List.copyOf(values));
        return all;
    }

    private static Map<String, List<String>> values(JsonNode headers, boolean arrays) {
        Map<String, List<String>> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.properties().forEach(header -> {
            if (arrays && header.getValue().isArray()) {
                header.getValue().forEach(value -> add(values, header.getKey(), value));
            } else if (!arrays) {
                add(values, header.getKey(), header.getValue());
            }
        });
        return values;
    }

    private static void add(Map<String, List<String>> values, String name, JsonNode value) {
        if (value.isTextual()) {
            List<String> list = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!list.contains(value.asText())) {
                list.add(value.asText());
            }
        }
    }

    private static Map<String, String> pathParameters(JsonNode node) {
        Map<String, String> values = new TreeMap<>();
        node.properties().forEach(entry -> {
            if (entry.getValue().isTextual()) {
                values.put(entry.getKey(), entry.getValue().asText());
            }
        });
        return values;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : "";
    }
}
