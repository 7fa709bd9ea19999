package io.scaflow.local.operator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.json.Json;
import io.scaflow.json.Timestamps;
import io.scaflow.local.LocalHttpServers;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.stack.LocalApiGateway;
import io.scaflow.local.stack.LocalCredentials;
import io.scaflow.local.stack.LocalDeployment;
import io.scaflow.local.stack.LocalStepFunctions;
import io.scaflow.local.stack.SamTemplate;
import io.scaflow.store.Flow;
import io.scaflow.store.Flows;
import io.scaflow.store.StatusChange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The operator page of {@code make run} on 127.0.0.1 ({@code /operator}): the flows of the local table, a flow's
 * timeline (its history and its status events from the events file), and the reconciliation form of an
 * OUTCOME_UNKNOWN flow. The form's POST goes to {@code POST /v1/actions/{id}/reconciliation} through a local API
 * Gateway of its own whose requests are made as the local operator ({@link #OPERATOR}), as an operator's signed
 * request would be; the page never writes the table itself. Never deployed.
 */
public final class OperatorServer implements AutoCloseable {

    /** The IAM identity of the page's reconciliations: a session of an operator role. */
    public static final LocalCredentials.Identity OPERATOR = new LocalCredentials.Identity("ASIALOCALOPERATORKEY", "",
            Optional.empty(), "arn:aws:sts::" + LocalStepFunctions.ACCOUNT_ID
            + ":assumed-role/scaflow-operator/local-operator", "AROALOCALSCAFLOWOPERATOR:local-operator",
            LocalStepFunctions.ACCOUNT_ID);
    private static final Pattern FLOW = Pattern.compile("^/operator/api/flows/([A-Za-z0-9_-]{1,80})(/reconciliation)?$");
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService threads;
    private final LocalApiGateway gateway;
    private final DynamoDbClient dynamo;
    private final FlowSummaries summaries;
    private final Flows store;
    private final RunEvents events;
    private final SameOriginPost posts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OperatorServer(LocalApiGateway gateway, DynamoDbClient dynamo, FlowSummaries summaries, Flows store,
                           RunEvents events, int port) {
        this.gateway = gateway;
        this.dynamo = dynamo;
        this.summaries = summaries;
        this.store = store;
        this.events = events;
        this.threads = Executors.newCachedThreadPool(LocalHttpServers.daemonThreads("local-operator"));
        this.server = LocalHttpServers.startOnLoopback(port, 64, threads, this::handle);
        this.posts = new SameOriginPost(server.getAddress().getPort());
    }

    /**
     * The page for {@code stack} on 127.0.0.1:{@code port} (0: a free one), its events read from {@code eventsFile}
     * (which may not exist yet).
     */
    public static OperatorServer start(LocalDeployment stack, Path eventsFile, int port) {
        SamTemplate template = SamTemplate.read(RepoRoot.find().resolve("template.yaml"));
        LocalApiGateway gateway = LocalApiGateway.start(template, stack.lambda().endpoint(), 0, OPERATOR);
        DynamoDbClient dynamo = LocalAws.dynamoDb(stack.moto().endpoint());
        try {
            Duration reminderDelay = stack.lambda().environment("ApiFunction")
                    .seconds("REMINDER_DELAY_SECONDS", Duration.ofSeconds(30));
            FlowSummaries summaries = new FlowSummaries(dynamo, stack.resources().tableName(), reminderDelay,
                    Clock.systemUTC());
            return new OperatorServer(gateway, dynamo, summaries, stack.store(), new RunEvents(eventsFile), port);
        } catch (RuntimeException e) {
            gateway.close();
            dynamo.close();
            throw e;
        }
    }

    /** The page's URL, {@code http://127.0.0.1:PORT/operator}. */
    public URI pageUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/operator");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        gateway.close();
        dynamo.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Matcher flow = FLOW.matcher(path);
            if (method.equals("GET") && (path.equals("/operator") || path.equals("/operator/") || path.equals("/"))) {
                send(exchange, 200, "text/html; charset=utf-8", OperatorPage.HTML.getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("GET") && path.equals("/operator/api/flows")) {
                json(exchange, 200, summaries.list());
            } else if (flow.matches() && flow.group(2) == null && method.equals("GET")) {
                timeline(exchange, flow.group(1));
            } else if (flow.matches() && flow.group(2) != null && method.equals("POST")) {
                reconcile(exchange, flow.group(1));
            } else {
                json(exchange, 404, Json.MAPPER.createObjectNode().put("message", "not a page or call of the operator page"));
            }
        } catch (RuntimeException e) {
            json(exchange, 500, Json.MAPPER.createObjectNode().put("message", "failed: " + e.getClass().getSimpleName()));
        }
    }

    /** The flow's status, its history and its events. */
    private void timeline(HttpExchange exchange, String id) throws IOException {
        Optional<Flow> found = store.find(id);
        if (found.isEmpty()) {
            json(exchange, 404, Json.MAPPER.createObjectNode().put("message", "no such flow"));
            return;
        }
        Flow flow = found.get();
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ObjectNode doc = answer.putObject("flow").put("id", flow.flowId()).put("status", flow.status().name())
                .put("attempt", flow.attempt());
        if (flow.payload() != null && flow.payload().has("amount")) {
            doc.set("amount", flow.payload().get("amount"));
        }
        if (flow.error() != null) {
            doc.putObject("error").put("code", flow.error().code()).put("message", flow.error().message());
        }
        ArrayNode history = doc.putArray("history");
        for (StatusChange change : flow.history()) {
            ObjectNode entry = history.addObject().put("status", change.status().name())
                    .put("at", Timestamps.format(change.at())).put("reason", change.reason());
            if (change.reconciliation() != null) {
                entry.putObject("reconciliation").put("by", change.reconciliation().by())
                        .put("note", change.reconciliation().note())
                        .put("shineTransferId", change.reconciliation().shineTransferId());
            }
        }
        answer.put("eventsFile", events.file().toString()).put("eventsFileExists", events.exists());
        ArrayNode list = answer.putArray("events");
        events.of(id).forEach(list::add);
        json(exchange, 200, answer);
    }

    /**
     * The form's body to the reconciliation route, as the operator; its answer as is. Refused unless it comes from
     * the page itself or from no page ({@link SameOriginPost}).
     */
    private void reconcile(HttpExchange exchange, String id) throws IOException {
        Optional<SameOriginPost.Refusal> refused = posts.check(exchange.getRequestHeaders());
        if (refused.isPresent()) {
            json(exchange, refused.get().status(), Json.MAPPER.createObjectNode().put("message",
                    refused.get().message()));
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_FORM_BYTES);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/v1/actions/" + id + "/reconciliation"))
                .timeout(Duration.ofSeconds(35)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        send(exchange, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/json"),
                answer.body());
    }

    private static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        send(exchange, status, "application/json", Json.MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (type.startsWith("text/html")) {
            exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; "
                    + "script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'");
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
