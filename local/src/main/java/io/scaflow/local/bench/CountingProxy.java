package io.scaflow.local.bench;

import io.scaflow.local.LocalHttpServers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * A transparent HTTP reverse proxy on 127.0.0.1 that counts the requests it forwards, by operation: the
 * {@code X-Amz-Target} header (DynamoDB, Secrets Manager: {@code DynamoDB_20120810.GetItem}), else the method and
 * path. Hooks may rewrite each request and see each answer before it is passed back. Used to count what the
 * handlers ask of moto, and to see each Lambda call and answer of the Step Functions engine, without touching the
 * production code.
 */
final class CountingProxy implements AutoCloseable {

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "date");

    private final URI target;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, byte[]> responseHook = (path, body) -> { };
    private volatile BiFunction<String, byte[], byte[]> requestHook = (path, body) -> body;

    private CountingProxy(URI target) throws IOException {
        this.target = target;
        this.server = LocalHttpServers.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "bench-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::forward);
        server.start();
    }

    static CountingProxy start(URI target) {
        try {
            return new CountingProxy(target);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** May rewrite each request's body (request path, body) before it is forwarded. */
    void onRequest(BiFunction<String, byte[], byte[]> value) {
        requestHook = value;
    }

    /** Sees each answer (request path, response body) before it is passed back. */
    void onResponse(BiConsumer<String, byte[]> value) {
        responseHook = value;
    }

    Map<String, Long> counts() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    void reset() {
        counts.clear();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String op = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            counts.computeIfAbsent(op != null ? op : exchange.getRequestMethod() + " " + path,
                    k -> new AtomicLong()).incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = requestHook.apply(path, in.readAllBytes());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/$", "")
                            + path + (query == null ? "" : "?" + query)))
                    .timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), body.length == 0 && exchange.getRequestMethod().equals("GET")
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] answer = response.body();
            responseHook.accept(path, answer);
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
