package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.json.Json;
import io.scaflow.local.LocalHttpServers;
import io.scaflow.local.emulator.LocalAws;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local API Gateway (REST API, Lambda proxy integration, payload format 1.0) on 127.0.0.1 for the routes the
 * template's functions declare as {@code Api} events ({@link SamTemplate#apiEvents()}).
 *
 * <p>Each request matching a route becomes the proxy event API Gateway would build ({@link ProxyEvents}), sent to
 * the function through the Lambda Invoke API ({@code NAME:ALIAS} when the function has an AutoPublishAlias, as the
 * deployed integration invokes the alias). The function's proxy answer ({@code statusCode}, {@code headers},
 * {@code multiValueHeaders}, {@code body}, {@code isBase64Encoded}) becomes the HTTP answer.
 *
 * <p>API Gateway's own answers are the API's gateway responses ({@link GatewayResponses}, from the definition's
 * {@code x-amazon-apigateway-gateway-responses}): an unknown resource or method is MISSING_AUTHENTICATION_TOKEN
 * (403); an event over Lambda's 6 MB payload is REQUEST_TOO_LARGE (413); Lambda refusing the invocation otherwise
 * (429 throttled, a service error, no connection) is INTEGRATION_FAILURE; no answer within 29 s is INTEGRATION_TIMEOUT
 * (504), always, whatever the load; a function error or an answer that is not a proxy response is 502. A body over
 * 10 MB gets API Gateway's fixed plain-text 413.
 *
 * <p>Concurrency: each request has a thread of its own (no bounded pool that could wait on itself) and the Lambda
 * call runs on the HTTP client's own threads, bounded by the 29 s timeout.
 *
 * <p>Routes are served under their API's stage ({@code /live/v1/transfers}), as on API Gateway's execute-api domain.
 * With {@link LocalCredentials} ({@code make run SIGV4=1}), each request to a route must be signed (SigV4) by one
 * of their keys ({@link SigV4Verifier}), and its identity is the caller in the event; without, nothing is checked
 * and every caller is {@link #CALLER_ARN}. Not as API Gateway: no IAM or resource policy evaluation, no
 * throttling, no request validation, header names canonicalised ({@code Idempotency-Key}) because the JDK server
 * does not keep the client's spelling. See docs/local-stack.md.
 */
public final class LocalApiGateway implements AutoCloseable {

    /** The IAM identity every local request is made as. */
    public static final String CALLER_ARN = "arn:aws:iam::" + LocalStepFunctions.ACCOUNT_ID + ":user/scaflow-local";

    /** The caller of every request when signatures are not checked: the fintech's backend of the local stack. */
    public static final LocalCredentials.Identity LOCAL_CALLER = new LocalCredentials.Identity("ASIALOCALSCAFLOWKEY",
            "", Optional.empty(), CALLER_ARN, LocalCredentials.LOCAL_PRINCIPAL_ID, LocalStepFunctions.ACCOUNT_ID);
    /** The REST API id in request contexts. */
    public static final String API_ID = "scaflowlocal";
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z0-9_.-]+)(\\+?)}");

    /** One route: its event, the path as a pattern, and the function it invokes. */
    private record Route(SamTemplate.ApiEvent event, Pattern pattern, List<String> parameters, String target,
                         GatewayResponses responses) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient http;
    private final URI lambdaEndpoint;
    private final List<Route> routes;
    private final Duration integrationTimeout;
    private final LocalCredentials.Identity caller;
    private final SigV4Verifier verifier;

    private LocalApiGateway(List<Route> routes, URI lambdaEndpoint, int port, Duration integrationTimeout,
                            LocalCredentials.Identity caller, SigV4Verifier verifier) {
        this.routes = routes;
        this.caller = caller;
        this.verifier = verifier;
        this.lambdaEndpoint = lambdaEndpoint;
        this.integrationTimeout = integrationTimeout;
        this.threads = Executors.newCachedThreadPool(LocalHttpServers.daemonThreads("local-apigw"));
        // The client keeps its own executor: request threads wait on it, so it must never be theirs.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.server = LocalHttpServers.startOnLoopback(port, 1024, threads, this::handle);
    }

    /**
     * Serves the {@code Api} events of {@code template}'s functions on 127.0.0.1:{@code port} (0: a free port),
     * invoking them through the Lambda Invoke API at {@code lambdaEndpoint}.
     */
    public static LocalApiGateway start(SamTemplate template, URI lambdaEndpoint, int port) {
        return start(template, lambdaEndpoint, port, INTEGRATION_TIMEOUT, LOCAL_CALLER, null);
    }

    /** As {@link #start(SamTemplate, URI, int)}, every request SigV4-signed by one of {@code credentials}' keys. */
    public static LocalApiGateway start(SamTemplate template, URI lambdaEndpoint, int port,
                                        LocalCredentials credentials) {
        return start(template, lambdaEndpoint, port, INTEGRATION_TIMEOUT, LOCAL_CALLER,
                new SigV4Verifier(credentials, LocalAws.REGION_ID, Clock.systemUTC()));
    }

    /** As {@link #start(SamTemplate, URI, int)} with another integration timeout (tests). */
    static LocalApiGateway start(SamTemplate template, URI lambdaEndpoint, int port, Duration integrationTimeout) {
        return start(template, lambdaEndpoint, port, integrationTimeout, LOCAL_CALLER, null);
    }

    /**
     * As {@link #start(SamTemplate, URI, int)}, every request made as {@code caller}, unsigned (the operator page's
     * gateway: its reconciliations are an operator's, not the fintech's).
     */
    public static LocalApiGateway start(SamTemplate template, URI lambdaEndpoint, int port,
                                        LocalCredentials.Identity caller) {
        return start(template, lambdaEndpoint, port, INTEGRATION_TIMEOUT, caller, null);
    }

    private static LocalApiGateway start(SamTemplate template, URI lambdaEndpoint, int port,
                                         Duration integrationTimeout, LocalCredentials.Identity caller,
                                         SigV4Verifier verifier) {
        Map<String, SamTemplate.Function> functions = template.functions();
        Map<String, GatewayResponses> responses = ApiDefinitions.gatewayResponses(template);
        List<Route> routes = new ArrayList<>();
        for (SamTemplate.ApiEvent event : template.apiEvents()) {
            SamTemplate.Function function = functions.get(event.functionLogicalId());
            String target = function.autoPublishAlias() == null ? function.logicalId()
                    : function.logicalId() + ":" + function.autoPublishAlias();
            List<String> parameters = new ArrayList<>();
            GatewayResponses api = event.restApiId().map(responses::get).orElse(GatewayResponses.defaults());
            routes.add(new Route(event, pathPattern(event.path(), parameters), List.copyOf(parameters), target, api));
        }
        return new LocalApiGateway(List.copyOf(routes), lambdaEndpoint, port, integrationTimeout, caller, verifier);
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

    /** {@code idempotency-key} as {@code Idempotency-Key}. */
    static String canonicalHeader(String name) {
        return ProxyEvents.canonicalHeader(name);
    }

    /**
     * The stage's URL, as the template's {@code ScaflowApiUrl} output gives it, e.g.
     * {@code http://127.0.0.1:3000/live}: a route is appended ({@code /v1/transfers}). The routes are served under
     * their API's stage only, as API Gateway's execute-api domain does.
     */
    public URI endpoint() {
        return URI.create(origin() + (routes.isEmpty() ? "" : "/" + routes.get(0).event.stageName()));
    }

    /** True when every request must be SigV4-signed by a known key. */
    public boolean checksSignatures() {
        return verifier != null;
    }

    /** The server's own URL, e.g. {@code http://127.0.0.1:3000}, without the stage. */
    public URI origin() {
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
        String requestId = UUID.randomUUID().toString();
        GatewayResponses responses = GatewayResponses.defaults();
        try (exchange) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.getResponseHeaders().set("x-amz-apigw-id", requestId.substring(0, 8) + "=");
            String rawPath = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Route route = null;
            Matcher matcher = null;
            String apiPath = null;
            for (Route candidate : routes) {
                String stage = "/" + candidate.event.stageName();
                if (!rawPath.startsWith(stage + "/")) {
                    continue;
                }
                Matcher m = candidate.pattern.matcher(rawPath.substring(stage.length()));
                if (m.matches() && (candidate.event.method().equals(method) || candidate.event.method().equals("ANY"))) {
                    route = candidate;
                    matcher = m;
                    apiPath = rawPath.substring(stage.length());
                    break;
                }
            }
            if (route == null) {
                responses = routes.isEmpty() ? responses : routes.get(0).responses;
                gatewayResponse(exchange, responses, GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN, requestId);
                return;
            }
            responses = route.responses;
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                sendOverBodyCap(exchange);
                return;
            }
            LocalCredentials.Identity identity = caller;
            if (verifier != null) {
                SigV4Verifier.Outcome outcome = verifier.verify(new SigV4Verifier.Request(method, rawPath,
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body));
                if (outcome.refusal() != null) {
                    gatewayResponse(exchange, responses, outcome.refusal(), requestId, outcome.message());
                    return;
                }
                identity = outcome.identity().orElse(caller);
            }
            ObjectNode event = ProxyEvents.of(exchange, route.event, route.parameters, matcher, apiPath, body,
                    requestId, port(), identity);
            invoke(exchange, route, event, requestId);
        } catch (RuntimeException e) {
            gatewayResponse(exchange, responses, GatewayResponses.Type.BAD_GATEWAY, requestId);
        }
    }

    private void invoke(HttpExchange exchange, Route route, ObjectNode event, String requestId) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(lambdaEndpoint.resolve(LocalLambdaService.PATH_PREFIX
                        + route.target + "/invocations"))
                .timeout(integrationTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(event)))
                .build();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // The client's own timeout and this one: whichever fires first, the caller gets its 504 in time.
            response = call.get(integrationTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            gatewayResponse(exchange, route.responses, GatewayResponses.Type.INTEGRATION_TIMEOUT, requestId);
            return;
        } catch (ExecutionException e) {
            GatewayResponses.Type type = e.getCause() instanceof java.net.http.HttpTimeoutException
                    ? GatewayResponses.Type.INTEGRATION_TIMEOUT : GatewayResponses.Type.INTEGRATION_FAILURE;
            gatewayResponse(exchange, route.responses, type, requestId);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            gatewayResponse(exchange, route.responses, GatewayResponses.Type.INTEGRATION_FAILURE, requestId);
            return;
        }
        if (response.statusCode() == 413) {
            // the event is over Lambda's 6 MB synchronous payload: API Gateway answers REQUEST_TOO_LARGE
            gatewayResponse(exchange, route.responses, GatewayResponses.Type.REQUEST_TOO_LARGE, requestId);
            return;
        }
        if (response.statusCode() != 200) {
            // Lambda refused the invocation (TooManyRequestsException, RequestTooLargeException, ServiceException).
            gatewayResponse(exchange, route.responses, GatewayResponses.Type.INTEGRATION_FAILURE, requestId);
            return;
        }
        if (response.headers().firstValue("X-Amz-Function-Error").isPresent()
                || !ProxyAnswers.answer(exchange, response.body())) {
            gatewayResponse(exchange, route.responses, GatewayResponses.Type.BAD_GATEWAY, requestId);
        }
    }

    /**
     * A body over API Gateway's 10 MB cap is refused before anything else, in plain text, without request ids, and
     * cannot be customised (as observed from a deployed REST API). The rest of the body (up to 64 MB more) is read
     * first: closing on unread bytes resets the connection, and the client would lose the answer.
     */
    private static void sendOverBodyCap(HttpExchange exchange) throws IOException {
        byte[] rest = new byte[64 * 1024];
        for (long left = 64L << 20, n = 0; left > 0 && n >= 0; left -= Math.max(n, 0)) {
            n = exchange.getRequestBody().read(rest, 0, (int) Math.min(rest.length, left));
        }
        exchange.getResponseHeaders().remove("x-amzn-RequestId");
        exchange.getResponseHeaders().remove("x-amz-apigw-id");
        exchange.getResponseHeaders().set("Content-Type", "text; charset=utf-8");
        send(exchange, 413, ("HTTP content length exceeded " + MAX_BODY_BYTES + " bytes.")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void gatewayResponse(HttpExchange exchange, GatewayResponses responses, GatewayResponses.Type type,
                                        String requestId) throws IOException {
        gatewayResponse(exchange, responses, type, requestId, null);
    }

    private static void gatewayResponse(HttpExchange exchange, GatewayResponses responses, GatewayResponses.Type type,
                                        String requestId, String message) throws IOException {
        GatewayResponses.Response response = responses.render(type, requestId, message);
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        send(exchange, response.status(), response.body());
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        ProxyAnswers.send(exchange, status, body);
    }
}
