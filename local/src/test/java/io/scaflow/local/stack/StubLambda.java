package io.scaflow.local.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stub of the Lambda Invoke API for tests: {@code POST /2015-03-31/functions/{name}/invocations} answers what the
 * handler registered for the function name (the last part of an ARN) returns.
 */
final class StubLambda implements AutoCloseable {
    /** A canned answer: a JSON result, or an unhandled error (HTTP 200 with X-Amz-Function-Error). */
    record Answer(String json, boolean error, int status) {
        static Answer ok(String json) {
            return new Answer(json, false, 200);
        }

        static Answer error(String errorType, String errorMessage) {
            return new Answer("{\"errorType\":\"" + errorType + "\",\"errorMessage\":\"" + errorMessage
                    + "\",\"stackTrace\":[]}", true, 200);
        }

        /** Lambda refusing the invocation past the concurrency limit. */
        static Answer throttled() {
            return new Answer("{\"Reason\":\"ConcurrentInvocationLimitExceeded\",\"Type\":\"User\","
                    + "\"message\":\"Rate Exceeded.\"}", false, 429);
        }
    }

    /** One invocation seen by the stub. */
    record Call(String function, JsonNode payload) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, Function<JsonNode, Answer>> handlers = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    StubLambda() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-lambda");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/2015-03-31/functions/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void on(String function, Function<JsonNode, Answer> handler) {
        handlers.put(function, handler);
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String function) {
        return calls.stream().filter(c -> c.function().equals(function)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // raw path: /2015-03-31/functions/<url-encoded name or ARN>/invocations
            String raw = exchange.getRequestURI().getRawPath();
            String encoded = raw.substring("/2015-03-31/functions/".length(), raw.lastIndexOf("/invocations"));
            String function = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
            function = function.substring(function.lastIndexOf(':') + 1);
            JsonNode payload;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                payload = body.length == 0 ? MAPPER.nullNode() : MAPPER.readTree(body);
            }
            calls.add(new Call(function, payload));
            Function<JsonNode, Answer> handler = handlers.get(function);
            Answer answer = handler == null
                    ? new Answer("{\"Type\":\"User\",\"message\":\"Function not found: " + function + "\"}", false, 404)
                    : handler.apply(payload);
            byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (handler == null) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", "ResourceNotFoundException");
                exchange.sendResponseHeaders(404, bytes.length);
            } else if (answer.status() == 429) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", "TooManyRequestsException");
                exchange.sendResponseHeaders(429, bytes.length);
            } else {
                if (answer.error()) {
                    exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
                }
                exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
                exchange.sendResponseHeaders(200, bytes.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
