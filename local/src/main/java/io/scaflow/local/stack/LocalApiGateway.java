package io.scaflow.local.stack;

import io.scaflow.local.LocalHttpServers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local API Gateway (REST API, Lambda proxy integration, payload format 1.0) on 127.0.0.1 for the routes the
 * template's functions declare as {@code Api} events ({@link SamTemplate#apiEvents()}).
 *
 * <p>Each request matching a route becomes the proxy event API Gateway would build ({@code resource}, {@code path},
 * {@code httpMethod}, {@code headers} and {@code multiValueHeaders}, {@code queryStringParameters} and
 * {@code multiValueQueryStringParameters}, {@code pathParameters}, {@code body}, {@code isBase64Encoded: false},
 * {@code requestContext} with the stage, a request id and an IAM caller identity), sent to the function through the
 * Lambda Invoke API ({@code NAME:ALIAS} when the function has an AutoPublishAlias, as the deployed integration
 * invokes the alias). The function's proxy answer ({@code statusCode}, {@code headers}, {@code multiValueHeaders},
 * {@code body}, {@code isBase64Encoded}) becomes the HTTP answer.
 *
 * <p>As API Gateway: an unknown resource or method is 403 {@code {"message":"Missing Authentication Token"}}; a
 * function error, or an answer that is not a proxy response, is 502 {@code {"message": "Internal server error"}};
 * no answer within 29 s is 504 {@code {"message": "Endpoint request timed out"}}; a body over 10 MB is 413. Not as
 * API Gateway: no SigV4 check (every caller is {@link #CALLER_ARN}), no throttling, no request validation, header
 * names canonicalised ({@code Idempotency-Key}) because the JDK server does not keep the client's spelling.
 * See docs/local-stack.md.
 */
public final class LocalApiGateway implements AutoCloseable {

    /** The IAM identity every local request is made as. */
    public static final String CALLER_ARN = "arn:aws:iam::" + LocalStepFunctions.ACCOUNT_ID + ":user/scaflow-local";
    /** The REST API id in request contexts. */
    public static final String API_ID = "scaflowlocal";
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z0-9_.-]+)(\\+?)}");

    /** One route: its method, its template path, the path as a pattern, and the function it invokes. */
    private record Route(SamTemplate.ApiEvent event, Pattern pattern, List<String> parameters, String target) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient http;
    private final URI lambdaEndpoint;
    private final List<Route> routes;

    private LocalApiGateway(List<Route> routes, URI lambdaEndpoint, int port) {
        this.routes = routes;
        this.lambdaEndpoint = lambdaEndpoint;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "local-apigw-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(threads).build();
        try {
            this.server = LocalHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            threads.shutdownNow();
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Serves the {@code Api} events of {@code template}'s functions on 127.0.0.1:{@code port} (0: a free port),
     * invoking them through the Lambda Invoke API at {@code lambdaEndpoint}.
     */
    public static LocalApiGateway start(SamTemplate template, URI lambdaEndpoint, int port) {
        Map<String, SamTemplate.Function> functions = template.functions();
        List<Route> routes = new ArrayList<>();
        for (SamTemplate.ApiEvent event : template.apiEvents()) {
            SamTemplate.Function function = functions.get(event.functionLogicalId());
            String target = function.autoPublishAlias() == null ? function.logicalId()
                    : function.logicalId() + ":" + function.autoPublishAlias();
            List<String> parameters = new ArrayList<>();
            routes.add(new Route(event, pathPattern(event.path(), parameters), List.copyOf(parameters), target));
        }
        return new LocalApiGateway(List.copyOf(routes), lambdaEndpoint, port);
    }

    /** {@code /v1/actions/{id}} as {@code ^/v1/actions/([^/]+)$}; {@code {proxy+}} matches the rest of the path. */
    static Pattern pathPattern(String template, List<String> parameters) {
        StringBuilder regex = new StringBuilder("^");
        Matcher m = PARAMETER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            parameters.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("/?$");
        return Pattern.compile(regex.toString());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:3000} (routes start with their own {@code /v1}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The served routes as {@code METHOD /path -> function}, in template order. */
    public List<String> routes() {
        return routes.stream().map(r -> r.event.method() + " " + r.event.path() + " -> " + r.target).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.getResponseHeaders().set("x-amz-apigw-id", requestId.substring(0, 8) + "=");
            String rawPath = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Route route = null;
            Matcher matcher = null;
            for (Route candidate : routes) {
                Matcher m = candidate.pattern.matcher(rawPath);
                if (m.matches() && (candidate.event.method().equals(method) || candidate.event.method().equals("ANY"))) {
                    route = candidate;
                    matcher = m;
                    break;
                }
            }
            if (route == null) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", "MissingAuthenticationTokenException");
                sendMessage(exchange, 403, "Missing Authentication Token");
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                sendTooLarge(exchange, true);
                return;
            }
            ObjectNode event = event(exchange, route, matcher, rawPath, body, requestId);
            invoke(exchange, route, event);
        } catch (RuntimeException e) {
            sendMessage(exchange, 500, "Internal server error");
        }
    }

    private ObjectNode event(HttpExchange exchange, Route route, Matcher matcher, String rawPath, byte[] body,
                             String requestId) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        String resource = route.event.path();
        String method = exchange.getRequestMethod();
        event.put("resource", resource);
        event.put("path", rawPath);
        event.put("httpMethod", method);

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

        ObjectNode query = Json.MAPPER.createObjectNode();
        ObjectNode multiQuery = Json.MAPPER.createObjectNode();
        String rawQuery = exchange.getRequestURI().getRawQuery();
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

        ObjectNode pathParameters = Json.MAPPER.createObjectNode();
        for (int i = 0; i < route.parameters.size(); i++) {
            pathParameters.put(route.parameters.get(i), matcher.group(i + 1));
        }
        setOrNull(event, "pathParameters", pathParameters);
        event.putNull("stageVariables");

        Instant now = Instant.now();
        String stage = route.event.stageName();
        ObjectNode context = event.putObject("requestContext");
        context.put("resourceId", Integer.toHexString(resource.hashCode() & 0xffffff));
        context.put("resourcePath", resource);
        context.put("httpMethod", method);
        context.put("extendedRequestId", requestId.substring(0, 8) + "=");
        context.put("requestTime", REQUEST_TIME.format(now));
        context.put("path", "/" + stage + rawPath);
        context.put("accountId", LocalStepFunctions.ACCOUNT_ID);
        context.put("protocol", exchange.getProtocol());
        context.put("stage", stage);
        context.put("domainPrefix", "127");
        context.put("requestTimeEpoch", now.toEpochMilli());
        context.put("requestId", requestId);
        ObjectNode identity = context.putObject("identity");
        identity.putNull("cognitoIdentityPoolId");
        identity.put("accountId", LocalStepFunctions.ACCOUNT_ID);
        identity.putNull("cognitoIdentityId");
        identity.put("caller", "AIDALOCALSCAFLOWCALLER");
        identity.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        identity.putNull("principalOrgId");
        identity.put("accessKey", "ASIALOCALSCAFLOWKEY");
        identity.putNull("cognitoAuthenticationType");
        identity.putNull("cognitoAuthenticationProvider");
        identity.put("userArn", CALLER_ARN);
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        if (userAgent == null) {
            identity.putNull("userAgent");
        } else {
            identity.put("userAgent", userAgent);
        }
        identity.put("user", "AIDALOCALSCAFLOWCALLER");
        context.put("domainName", exchange.getLocalAddress().getHostString() + ":" + port());
        context.put("apiId", API_ID);

        if (body.length == 0) {
            event.putNull("body");
        } else {
            event.put("body", new String(body, StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    private void invoke(HttpExchange exchange, Route route, ObjectNode event) throws IOException {
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(lambdaEndpoint.resolve(LocalLambdaService.PATH_PREFIX
                            + route.target + "/invocations"))
                    .timeout(INTEGRATION_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(event)))
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            sendMessage(exchange, 504, "Endpoint request timed out");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendMessage(exchange, 500, "Internal server error");
            return;
        } catch (IOException e) {
            sendMessage(exchange, 502, "Internal server error");
            return;
        }
        if (response.statusCode() == 413) {
            sendTooLarge(exchange, false);
            return;
        }
        if (response.statusCode() != 200 || response.headers().firstValue("X-Amz-Function-Error").isPresent()) {
            badGateway(exchange);
            return;
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            badGateway(exchange);
            return;
        }
        if (answer == null || !answer.isObject()) {
            badGateway(exchange);
            return;
        }
        JsonNode statusCode = answer.get("statusCode");
        int status = statusCode == null ? -1 : statusCode.isInt() ? statusCode.asInt()
                : statusCode.isTextual() && statusCode.asText().matches("\\d{3}") ? Integer.parseInt(statusCode.asText())
                : -1;
        if (status < 100 || status > 599) {
            badGateway(exchange);
            return;
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
                badGateway(exchange);
                return;
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
    }

    /**
     * API Gateway's own 413s, as a REST API with a Lambda proxy integration gives them (docs/local-stack.md): a body
     * over its 10 MB cap is refused before anything else, in plain text and without request ids; an event that
     * Lambda refuses as too large (413 RequestTooLargeException: over its 6 MB synchronous payload) is
     * {@code {"message": "Request Too Long"}}, {@code x-amzn-ErrorType: BadRequestException}.
     */
    private static void sendTooLarge(HttpExchange exchange, boolean overGatewayCap) throws IOException {
        if (overGatewayCap) {
            // read on what the client still sends (up to 64 MB more): closing on unread bytes resets the
            // connection, and the client would lose the answer
            byte[] rest = new byte[64 * 1024];
            for (long left = 64L << 20, n = 0; left > 0 && n >= 0; left -= Math.max(n, 0)) {
                n = exchange.getRequestBody().read(rest, 0, (int) Math.min(rest.length, left));
            }
            exchange.getResponseHeaders().remove("x-amzn-RequestId");
            exchange.getResponseHeaders().remove("x-amz-apigw-id");
            exchange.getResponseHeaders().set("Content-Type", "text; charset=utf-8");
            send(exchange, 413, ("HTTP content length exceeded " + MAX_BODY_BYTES + " bytes.").getBytes(StandardCharsets.UTF_8));
        } else {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", "BadRequestException");
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            send(exchange, 413, "{\"message\": \"Request Too Long\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void badGateway(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", "InternalServerErrorException");
        sendMessage(exchange, 502, "Internal server error");
    }

    private static void sendMessage(HttpExchange exchange, int status, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode().put("message", message)));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean noBody = body.length == 0 || "HEAD".equals(exchange.getRequestMethod()) || status == 204
                || status == 304;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
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
}
