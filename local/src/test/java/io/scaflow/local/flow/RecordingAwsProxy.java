package io.scaflow.local.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A forwarding proxy in front of moto that records the IAM action of each AWS call it passes
 * ({@code X-Amz-Target: DynamoDB_20120810.GetItem} is {@code dynamodb:GetItem}); a Secrets Manager read is recorded
 * with the secret it names ({@code secretsmanager:GetSecretValue scaflow/users/u-1}). One per function: what that
 * function's code asked of AWS.
 */
final class RecordingAwsProxy implements AutoCloseable {

    private static final Map<String, String> SERVICES = Map.of("DynamoDB_20120810", "dynamodb",
            "TrentService", "kms", "secretsmanager", "secretsmanager", "AWSStepFunctions", "states",
            "AWSEvents", "events");
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "date");

    private final URI target;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final Set<String> actions = new TreeSet<>();

    RecordingAwsProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::forward);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized Set<String> actions() {
        return new TreeSet<>(actions);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            record(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void record(String amzTarget, byte[] body) {
        if (amzTarget == null || !amzTarget.contains(".")) {
            actions.add("unknown call");
            return;
        }
        String service = SERVICES.getOrDefault(amzTarget.substring(0, amzTarget.indexOf('.')), amzTarget);
        String action = service + ":" + amzTarget.substring(amzTarget.indexOf('.') + 1);
        if (action.equals("secretsmanager:GetSecretValue")) {
            try {
                JsonNode request = Json.MAPPER.readTree(body);
                action += " " + request.path("SecretId").asText();
            } catch (IOException e) {
                action += " ?";
            }
        }
        actions.add(action);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
