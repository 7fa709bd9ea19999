package io.scaflow.local.stack;

import io.scaflow.local.LocalHttpServers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.config.Env;
import io.scaflow.flow.FlowServices;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) on 127.0.0.1, hosting the template's
 * {@code AWS::Serverless::Function}s in this JVM.
 *
 * <p>A function is named by its template logical id, as a plain name, {@code NAME:QUALIFIER}, or a full or partial
 * ARN. Its handler class (from the template's {@code Handler}) is instantiated once, on first invocation, with a
 * public constructor taking {@link FlowServices} (built from the function's environment), else a public no-arg one.
 * Invocations may run concurrently on that one instance (AWS would use one instance per concurrent invocation).
 *
 * <p>Answers as Lambda does: 200 with the handler's output; a handler exception as 200 with
 * {@code X-Amz-Function-Error: Unhandled} and {@code {"errorType", "errorMessage", "stackTrace": []}}; an unknown
 * function as 404 {@code ResourceNotFoundException}. See docs/local-stack.md.
 */
public final class LocalLambdaService implements AutoCloseable {

    /** The Invoke API's path prefix. */
    public static final String PATH_PREFIX = "/2015-03-31/functions/";
    private static final String PATH_SUFFIX = "/invocations";
    private static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    /** Lambda's default concurrency per account and region. */
    public static final int DEFAULT_CONCURRENCY = 1000;

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final ExecutorService workers;
    private final Semaphore concurrency;
    private final Map<String, HostedFunction> functions;
    private final String region;
    private final String accountId;
    private final boolean enforceTimeouts;
    private final Clock clock;
    /** The runtime-client mode (each function in JVMs of its own); null: the handlers run in this JVM. */
    private final RuntimeClientFunctions runtimeClient;
    private final String sharedAccessKeyId;

    LocalLambdaService(LocalLambdaServiceBuilder builder, Map<String, HostedFunction> functions) throws IOException {
        this.functions = functions;
        this.sharedAccessKeyId = builder.sharedAccessKeyId();
        this.region = builder.region;
        this.accountId = builder.accountId;
        this.enforceTimeouts = builder.enforceTimeouts;
        this.clock = builder.clock;
        this.runtimeClient = builder.runtimeFunctions;
        // Threads on demand for both: what bounds the work is the concurrency limit, never a pool that could fill
        // with calls waiting on calls it would have to serve.
        this.httpThreads = Executors.newCachedThreadPool(LocalHttpServers.daemonThreads("local-lambda-http"));
        this.workers = Executors.newCachedThreadPool(LocalHttpServers.daemonThreads("local-lambda-invoke"));
        this.concurrency = new Semaphore(builder.concurrency);
        this.server = LocalHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 64);
        server.setExecutor(httpThreads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A builder for the functions of {@code template}. */
    public static LocalLambdaServiceBuilder builder(SamTemplate template) {
        return new LocalLambdaServiceBuilder(template);
    }

    /** {@code X -> X}, {@code X.Arn -> function ARN}, {@code X.Alias -> alias ARN} (when the function has one). */
    static Map<String, String> functionReferences(SamTemplate.Function f, String region, String account) {
        String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + f.logicalId();
        Map<String, String> refs = new HashMap<>();
        refs.put(f.logicalId(), f.logicalId());
        refs.put(f.logicalId() + ".Arn", arn);
        refs.put(f.logicalId() + ".Alias", f.autoPublishAlias() == null ? arn : arn + ":" + f.autoPublishAlias());
        return refs;
    }

    /** The endpoint to give the SDK ({@code endpointOverride}, {@code AWS_ENDPOINT_URL_LAMBDA}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The hosted functions' names (template logical ids). */
    public Set<String> functionNames() {
        return functions.keySet();
    }

    /** {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}. */
    public String functionArn(String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + function(name).definition.logicalId();
    }

    /**
     * What a state machine's {@code DefinitionSubstitutions} and other references to the functions resolve to:
     * for each function X, {@code X} (its name), {@code X.Arn} and {@code X.Alias} (the ARN qualified by its
     * AutoPublishAlias, as {@code !Ref X.Alias} gives in AWS).
     */
    public Map<String, String> functionReferences() {
        Map<String, String> refs = new LinkedHashMap<>();
        functions.values().forEach(f -> refs.putAll(functionReferences(f.definition, region, accountId)));
        return refs;
    }

    /** The environment a function's handler gets (template values resolved, then the local overrides). */
    public Env environment(String name) {
        return function(name).env;
    }

    /**
     * The function's environment for a client of the tests or the tools (a store to read flows, a state machine to
     * start): signed with the stack's shared key instead of the function's own, so that its calls are not recorded
     * as the function's (docs/local-stack.md, "Roles proven").
     */
    public Env harnessEnvironment(String name) {
        Env env = function(name).env;
        return sharedAccessKeyId == null ? env : env.with(Map.of("AWS_ACCESS_KEY_ID", sharedAccessKeyId));
    }

    /** Invocations of a function so far (successful or not; DryRun excluded). */
    public long invocations(String name) {
        return function(name).invocations.get();
    }

    /** Invocations so far by function name. */
    public Map<String, Long> invocationCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        functions.forEach((name, f) -> counts.put(name, f.invocations.get()));
        return counts;
    }

    /** Sets every invocation counter back to zero. */
    public void resetInvocationCounts() {
        functions.values().forEach(f -> f.invocations.set(0));
    }

    @Override
    public void close() {
        server.stop(0);
        httpThreads.shutdownNow();
        workers.shutdownNow();
        if (runtimeClient != null) {
            runtimeClient.close();
        }
    }

    private HostedFunction function(String name) {
        HostedFunction function = functions.get(name);
        if (function == null) {
            throw new IllegalArgumentException("no function " + name + " in the template");
        }
        return function;
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            String path = exchange.getRequestURI().getRawPath();
            if (!path.startsWith(PATH_PREFIX) || !path.endsWith(PATH_SUFFIX)
                    || path.length() <= PATH_PREFIX.length() + PATH_SUFFIX.length()) {
                sendError(exchange, 404, "UnknownOperationException", "Unknown operation " + path);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                sendError(exchange, 405, "UnknownOperationException", "Invoke takes POST");
                return;
            }
            String rawName = path.substring(PATH_PREFIX.length(), path.length() - PATH_SUFFIX.length());
            String name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
            FunctionName target = FunctionName.parse(name, queryParameter(exchange, "Qualifier"));
            HostedFunction function = target == null ? null : functions.get(target.name());
            if (function == null || !function.acceptsQualifier(target.qualifier())) {
                String arn = target == null ? name : "arn:aws:lambda:" + region + ":" + accountId + ":function:"
                        + target.name() + (target.qualifier() == null ? "" : ":" + target.qualifier());
                sendError(exchange, 404, "ResourceNotFoundException", "Function not found: " + arn);
                return;
            }
            byte[] payload = exchange.getRequestBody().readNBytes(MAX_PAYLOAD_BYTES + 1);
            if (payload.length > MAX_PAYLOAD_BYTES) {
                sendError(exchange, 413, "RequestTooLargeException", "Request must be smaller than "
                        + MAX_PAYLOAD_BYTES + " bytes for the InvokeFunction operation");
                return;
            }
            if (payload.length == 0) {
                payload = "{}".getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    Json.MAPPER.readTree(payload);
                } catch (IOException e) {
                    sendError(exchange, 400, "InvalidRequestContentException", "Could not parse request body into json");
                    return;
                }
            }
            String invocationType = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
            if ("DryRun".equals(invocationType)) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            String invokedArn = functionArn(function.definition.logicalId())
                    + (target.qualifier() == null ? "" : ":" + target.qualifier());
            byte[] input = payload;
            if ("Event".equals(invocationType)) {
                function.invocations.incrementAndGet();
                // Lambda queues asynchronous invocations: this one waits for a free slot on its own thread, then
                // runs as a synchronous one does (the function's Timeout applies; the slot is given back after it).
                workers.submit(() -> {
                    concurrency.acquireUninterruptibly();
                    runWithTimeout(function, input, requestId, invokedArn);
                });
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            if (!concurrency.tryAcquire()) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                sendThrottled(exchange);
                return;
            }
            function.invocations.incrementAndGet();
            HostedFunction.Outcome outcome = runWithTimeout(function, input, requestId, invokedArn);
            if (outcome.errorType() != null && outcome.errorPayload() != null) {
                exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
                send(exchange, 200, outcome.errorPayload());
            } else if (outcome.errorType() != null) {
                exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
                ObjectNode body = Json.MAPPER.createObjectNode()
                        .put("errorType", outcome.errorType())
                        .put("errorMessage", outcome.errorMessage());
                body.putArray("stackTrace");
                send(exchange, 200, Json.MAPPER.writeValueAsBytes(body));
            } else {
                send(exchange, 200, outcome.output());
            }
        } catch (RuntimeException e) {
            sendError(exchange, 500, "ServiceException", "local Lambda service failure: " + e.getClass().getName());
        }
    }

    /**
     * Runs the invocation on a worker (its slot of the concurrency limit is already taken; the worker gives it back
     * when the handler returns, even after a timeout, as an execution environment stays busy until then).
     */
    private HostedFunction.Outcome runWithTimeout(HostedFunction function, byte[] input, String requestId, String invokedArn) {
        Future<HostedFunction.Outcome> future;
        try {
            future = workers.submit(() -> {
                try {
                    return runtimeClient != null
                            ? runtimeClient.invoke(function.definition, input, requestId, invokedArn, enforceTimeouts)
                            : function.run(input, requestId, invokedArn, clock);
                } finally {
                    concurrency.release();
                }
            });
        } catch (RejectedExecutionException e) {
            concurrency.release();
            return HostedFunction.Outcome.failure("Runtime.Interrupted", "the local Lambda service is stopping");
        }
        // The runtime client's environments enforce the Timeout themselves (the JVM is killed past it).
        if (!enforceTimeouts || runtimeClient != null) {
            try {
                return future.get();
            } catch (ExecutionException e) {
                return HostedFunction.Outcome.failure(e.getCause().getClass().getName(), HostedFunction.message(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HostedFunction.Outcome.failure("Runtime.Interrupted", "the local Lambda service is stopping");
            }
        }
        int timeout = function.definition.timeoutSeconds();
        try {
            return future.get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return HostedFunction.Outcome.failure("Sandbox.Timedout", String.format(java.util.Locale.ROOT,
                    "Task timed out after %d.00 seconds", timeout));
        } catch (ExecutionException e) {
            return HostedFunction.Outcome.failure(e.getCause().getClass().getName(), HostedFunction.message(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HostedFunction.Outcome.failure("Runtime.Interrupted", "the local Lambda service is stopping");
        }
    }

    /** Lambda's answer past the concurrency limit. */
    private static void sendThrottled(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", "TooManyRequestsException");
        ObjectNode body = Json.MAPPER.createObjectNode().put("Reason", "ConcurrentInvocationLimitExceeded")
                .put("Type", "User").put("message", "Rate Exceeded.");
        send(exchange, 429, Json.MAPPER.writeValueAsBytes(body));
    }

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        ObjectNode body = Json.MAPPER.createObjectNode().put("Type", status >= 500 ? "Service" : "User")
                .put("message", message);
        send(exchange, status, Json.MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }


    // ------------------------------------------------------------------------------------------------ functions
}
