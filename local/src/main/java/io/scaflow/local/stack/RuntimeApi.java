package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.json.Json;
import io.scaflow.local.LocalHttpServers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lambda's Runtime API for one execution environment, on 127.0.0.1 (a free port: the runtime's
 * {@code AWS_LAMBDA_RUNTIME_API}): {@code GET /2018-06-01/runtime/invocation/next} hands the runtime the next
 * invocation (it waits for one) with Lambda's headers; {@code POST .../invocation/{id}/response} and
 * {@code .../invocation/{id}/error} end it; {@code POST /2018-06-01/runtime/init/error} reports a failed init.
 * Each answer is Lambda's (202 {@code {"status":"OK"}}; 400 {@code InvalidRequestID}; 413 for a response over
 * 6,291,556 bytes).
 */
final class RuntimeApi implements AutoCloseable {

    static final String PREFIX = "/2018-06-01/runtime/";
    /** Lambda's limit on a synchronous invocation's response. */
    static final int MAX_RESPONSE_BYTES = 6_291_556;

    /** One invocation handed to the runtime: its payload, and what the runtime answered. */
    static final class Invocation {
        final String requestId;
        final String invokedArn;
        final byte[] payload;
        final long timeoutMillis;
        final String traceId = traceId();
        /** Completed with the deadline (epoch ms) when the runtime takes the invocation. */
        final CompletableFuture<Long> delivered = new CompletableFuture<>();
        final CompletableFuture<HostedFunction.Outcome> result = new CompletableFuture<>();

        Invocation(String requestId, String invokedArn, byte[] payload, long timeoutMillis) {
            this.requestId = requestId;
            this.invokedArn = invokedArn;
            this.payload = payload;
            this.timeoutMillis = timeoutMillis;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    /** Completed with the runtime's error payload when it reports a failed init. */
    final CompletableFuture<HostedFunction.Outcome> initError = new CompletableFuture<>();

    RuntimeApi(String threadName) throws IOException {
        threads = Executors.newCachedThreadPool(LocalHttpServers.daemonThreads(threadName));
        server = LocalHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code 127.0.0.1:PORT}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an invocation for the runtime's next {@code /invocation/next}. */
    void submit(Invocation invocation) {
        inFlight.put(invocation.requestId, invocation);
        queue.add(invocation);
    }

    /** Forgets an invocation that ended without the runtime's answer (timed out, the runtime died). */
    void abandon(Invocation invocation) {
        queue.remove(invocation);
        inFlight.remove(invocation.requestId);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.startsWith(PREFIX)) {
                send(exchange, 404, error("Unknown path " + path, "NotFound"));
                return;
            }
            String rest = path.substring(PREFIX.length());
            if (rest.equals("invocation/next") && method.equals("GET")) {
                next(exchange);
            } else if (rest.equals("init/error") && method.equals("POST")) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                initError.complete(failure(body, exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type")));
                send(exchange, 202, ok());
            } else if (rest.startsWith("invocation/") && method.equals("POST")
                    && (rest.endsWith("/response") || rest.endsWith("/error"))) {
                String id = rest.substring("invocation/".length(), rest.lastIndexOf('/'));
                answer(exchange, id, rest.endsWith("/response"));
            } else {
                send(exchange, 404, error("Unknown operation " + method + " " + path, "NotFound"));
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation;
        try {
            invocation = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the environment is shutting down: the runtime sees the connection close
        }
        long deadline = System.currentTimeMillis() + invocation.timeoutMillis;
        var headers = exchange.getResponseHeaders();
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.invokedArn);
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId);
        invocation.delivered.complete(deadline);
        send(exchange, 200, invocation.payload);
    }

    private void answer(HttpExchange exchange, String id, boolean success) throws IOException {
        Invocation invocation = inFlight.get(id);
        if (invocation == null) {
            send(exchange, 400, error("Invalid request ID", "InvalidRequestID"));
            return;
        }
        byte[] body = exchange.getRequestBody().readNBytes(MAX_RESPONSE_BYTES + 1);
        if (success && body.length > MAX_RESPONSE_BYTES) {
            inFlight.remove(id);
            invocation.result.complete(HostedFunction.Outcome.failure("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes)."));
            send(exchange, 413, error("Exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).",
                    "RequestEntityTooLarge"));
            return;
        }
        inFlight.remove(id);
        invocation.result.complete(success ? HostedFunction.Outcome.success(body)
                : failure(body, exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type")));
        send(exchange, 202, ok());
    }

    /**
     * The runtime's error as the Invoke API gives it: its JSON document as posted (errorType, errorMessage,
     * stackTrace), or, when it posted no JSON object, one built from its error-type header.
     */
    static HostedFunction.Outcome failure(byte[] body, String errorTypeHeader) {
        String fallbackType = errorTypeHeader == null || errorTypeHeader.isBlank() ? "Unhandled" : errorTypeHeader;
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json instanceof ObjectNode object) {
                return HostedFunction.Outcome.failure(object.path("errorType").asText(fallbackType),
                        object.path("errorMessage").asText(""), body);
            }
        } catch (IOException e) {
            // not JSON: below
        }
        return HostedFunction.Outcome.failure(fallbackType, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] ok() {
        return "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] error(String message, String type) {
        try {
            return Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode().put("errorMessage", message)
                    .put("errorType", type));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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

    /** An X-Ray trace header as Lambda passes it: {@code Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0}. */
    private static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("Root=1-%08x-%08x%016x;Parent=%016x;Sampled=0", System.currentTimeMillis() / 1000,
                random.nextInt(), random.nextLong(), random.nextLong());
    }
}
