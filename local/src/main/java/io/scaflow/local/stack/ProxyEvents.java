package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.scaflow.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The Lambda proxy event (payload format 1.0) API Gateway builds for a REST API request: {@code resource},
 * {@code path}, {@code httpMethod}, single- and multi-value headers and query parameters, {@code pathParameters},
 * {@code body}, {@code isBase64Encoded: false}, and a {@code requestContext} with the stage, the request id and an IAM
 * caller identity: the one whose key signed the request (SigV4 checked), else the gateway's own caller
 * ({@link LocalApiGateway#LOCAL_CALLER} by default).
 */
final class ProxyEvents {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ProxyEvents() {
    }

    /**
     * The event for {@code exchange} on {@code route} ({@code resource} the route's template path, its parameters
     * taken from {@code matcher}'s groups in order). {@code apiPath} is the request's path after the stage
     * ({@code /v1/transfers}), the event's {@code path}; {@code requestContext.path} is the path as sent
     * ({@code /live/v1/transfers}), as API Gateway puts them on its execute-api domain.
     */
    static ObjectNode of(HttpExchange exchange, SamTemplate.ApiEvent route, List<String> parameterNames,
                         Matcher matcher, String apiPath, byte[] body, String requestId, int port,
                         LocalCredentials.Identity caller) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        String method = exchange.getRequestMethod();
        event.put("resource", route.path());
        event.put("path", apiPath);
        event.put("httpMethod", method);
        headers(exchange, event);
        query(exchange.getRequestURI().getRawQuery(), event);
        ObjectNode pathParameters = Json.MAPPER.createObjectNode();
        for (int i = 0; i < parameterNames.size(); i++) {
            pathParameters.put(parameterNames.get(i), matcher.group(i + 1));
        }
        setOrNull(event, "pathParameters", pathParameters);
        event.putNull("stageVariables");
        requestContext(exchange, route, requestId, port, caller, event.putObject("requestContext"));
        if (body.length == 0) {
            event.putNull("body");
        } else {
            event.put("body", new String(body, StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    /** {@code idempotency-key} as {@code Idempotency-Key}: each '-'-separated word capitalised. */
    static String canonicalHeader(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static void headers(HttpExchange exchange, ObjectNode event) {
        ObjectNode headers = Json.MAPPER.createObjectNode();
        ObjectNode multiHeaders = Json.MAPPER.createObjectNode();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String canonical = canonicalHeader(name);
            headers.put(canonical, values.get(values.size() - 1));
            ArrayNode all = multiHeaders.putArray(canonical);
            values.forEach(all::add);
        });
        setOrNull(event, "headers", headers);
        setOrNull(event, "multiValueHeaders", multiHeaders);
    }

    private static void query(String rawQuery, ObjectNode event) {
        ObjectNode query = Json.MAPPER.createObjectNode();
        ObjectNode multiQuery = Json.MAPPER.createObjectNode();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.put(name, value);
                JsonNode existing = multiQuery.get(name);
                (existing == null ? multiQuery.putArray(name) : (ArrayNode) existing).add(value);
            }
        }
        setOrNull(event, "queryStringParameters", query);
        setOrNull(event, "multiValueQueryStringParameters", multiQuery);
    }

    private static void requestContext(HttpExchange exchange, SamTemplate.ApiEvent route, String requestId, int port,
                                       LocalCredentials.Identity caller, ObjectNode context) {
        Instant now = Instant.now();
        String resource = route.path();
        String stage = route.stageName();
        context.put("resourceId", Integer.toHexString(resource.hashCode() & 0xffffff));
        context.put("resourcePath", resource);
        context.put("httpMethod", exchange.getRequestMethod());
        context.put("extendedRequestId", requestId.substring(0, 8) + "=");
        context.put("requestTime", REQUEST_TIME.format(now));
        context.put("path", exchange.getRequestURI().getRawPath());
        context.put("accountId", LocalStepFunctions.ACCOUNT_ID);
        context.put("protocol", exchange.getProtocol());
        context.put("stage", stage);
        context.put("domainPrefix", "127");
        context.put("requestTimeEpoch", now.toEpochMilli());
        context.put("requestId", requestId);
        ObjectNode identity = context.putObject("identity");
        identity.putNull("cognitoIdentityPoolId");
        identity.put("accountId", caller.accountId());
        identity.putNull("cognitoIdentityId");
        identity.put("caller", caller.principalId());
        identity.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        identity.putNull("principalOrgId");
        identity.put("accessKey", caller.accessKeyId());
        identity.putNull("cognitoAuthenticationType");
        identity.putNull("cognitoAuthenticationProvider");
        identity.put("userArn", caller.userArn());
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        if (userAgent == null) {
            identity.putNull("userAgent");
        } else {
            identity.put("userAgent", userAgent);
        }
        identity.put("user", caller.principalId());
        context.put("domainName", exchange.getLocalAddress().getHostString() + ":" + port);
        context.put("apiId", LocalApiGateway.API_ID);
    }

    private static void setOrNull(ObjectNode event, String name, ObjectNode value) {
        if (value.isEmpty()) {
            event.putNull(name);
        } else {
            event.set(name, value);
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
