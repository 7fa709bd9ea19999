package io.scaflow.local.stack;

import io.scaflow.local.LocalHttpServers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The template's status event bus on this machine: EventBridge's {@code PutEvents} (JSON 1.1,
 * {@code X-Amz-Target: AWSEvents.PutEvents}) on 127.0.0.1, for the publisher's SDK client
 * ({@code AWS_ENDPOINT_URL_EVENTBRIDGE}). Each entry for this bus becomes the envelope EventBridge delivers to a
 * rule's target ({@code version, id, detail-type, source, account, time, region, resources, detail}), kept in
 * order and appended as one JSON line to the events file when one is set ({@code target/run-events.jsonl} under
 * {@code make run} and {@code make demo}). Entries for another bus, or without a source, detail type or a JSON
 * object as detail, are refused one by one as PutEvents refuses them. No rules, no targets, no archive.
 */
public final class LocalEventBus implements AutoCloseable {

    private final HttpServer server;
    private final String busName;
    private final String busArn;
    private final String region;
    private final String account;
    private final List<ObjectNode> delivered = new ArrayList<>();
    private Writer file;

    private LocalEventBus(HttpServer server, String busName, String region, String account) {
        this.server = server;
        this.busName = busName;
        this.region = region;
        this.account = account;
        this.busArn = "arn:aws:events:" + region + ":" + account + ":event-bus/" + busName;
    }

    /** The bus {@code busName} on a free port of 127.0.0.1. */
    public static LocalEventBus start(String busName, String region, String account) {
        try {
            HttpServer server = LocalHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LocalEventBus bus = new LocalEventBus(server, busName, region, account);
            server.createContext("/", bus::handle);
            server.setExecutor(Executors.newCachedThreadPool(LocalHttpServers.daemonThreads("local-event-bus")));
            server.start();
            return bus;
        } catch (IOException e) {
            throw new UncheckedIOException("the local event bus could not start", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public String name() {
        return busName;
    }

    public String arn() {
        return busArn;
    }

    /**
     * From now on every event is also appended to {@code path} (created, or emptied first), the events delivered
     * so far included.
     */
    public synchronized void writeTo(Path path) {
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            closeFile();
            file = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            for (ObjectNode event : delivered) {
                append(event);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the events file " + path + " cannot be written", e);
        }
    }

    /** The envelopes delivered so far, in the order they were put. */
    public synchronized List<ObjectNode> events() {
        return delivered.stream().map(ObjectNode::deepCopy).toList();
    }

    /** The events of one flow ({@code detail.flowId}) delivered so far, in order. */
    public synchronized List<ObjectNode> eventsOf(String flowId) {
        return delivered.stream().filter(e -> flowId.equals(e.path("detail").path("flowId").asText()))
                .map(ObjectNode::deepCopy).toList();
    }

    /**
     * Waits until the flow's event with {@code detail.ended} true has been delivered, at most {@code timeout};
     * gives the flow's events delivered by then (the publisher follows the writes by a poll or two).
     */
    public synchronized List<ObjectNode> awaitEnd(String flowId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (eventsOf(flowId).stream().noneMatch(e -> e.path("detail").path("ended").asBoolean(false))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return eventsOf(flowId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request;
            try {
                request = Json.MAPPER.readTree(exchange.getRequestBody());
            } catch (IOException e) {
                request = null;
            }
            if (!"AWSEvents.PutEvents".equals(target) || request == null || !request.path("Entries").isArray()) {
                reply(exchange, 400, Json.MAPPER.createObjectNode()
                        .put("__type", "UnknownOperationException")
                        .put("message", "the local event bus implements PutEvents only"));
                return;
            }
            reply(exchange, 200, putEvents(request.path("Entries")));
        }
    }

    private synchronized ObjectNode putEvents(JsonNode entries) throws IOException {
        ObjectNode response = Json.MAPPER.createObjectNode();
        ArrayNode results = response.putArray("Entries");
        int failed = 0;
        for (JsonNode entry : entries) {
            String refusal = refusal(entry);
            if (refusal != null) {
                failed++;
                results.addObject().put("ErrorCode", refusal).put("ErrorMessage", refusal);
                continue;
            }
            ObjectNode envelope = envelope(entry);
            delivered.add(envelope);
            append(envelope);
            notifyAll();
            results.addObject().put("EventId", envelope.path("id").asText());
        }
        response.put("FailedEntryCount", failed);
        return response;
    }

    private String refusal(JsonNode entry) {
        String bus = entry.path("EventBusName").asText("default");
        if (!bus.equals(busName) && !bus.equals(busArn)) {
            return "ResourceNotFoundException";
        }
        if (entry.path("Source").asText("").isEmpty() || entry.path("DetailType").asText("").isEmpty()) {
            return "InvalidArgument";
        }
        try {
            return Json.MAPPER.readTree(entry.path("Detail").asText("")).isObject() ? null : "MalformedDetail";
        } catch (IOException e) {
            return "MalformedDetail";
        }
    }

    private ObjectNode envelope(JsonNode entry) throws IOException {
        Instant time = entry.path("Time").isNumber()
                ? Instant.ofEpochMilli(new BigDecimal(entry.path("Time").asText()).movePointRight(3).longValue())
                : Instant.now();
        ObjectNode envelope = Json.MAPPER.createObjectNode()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", entry.path("DetailType").asText())
                .put("source", entry.path("Source").asText())
                .put("account", account)
                .put("time", time.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", region);
        ArrayNode resources = envelope.putArray("resources");
        entry.path("Resources").forEach(resources::add);
        envelope.set("detail", Json.MAPPER.readTree(entry.path("Detail").asText()));
        return envelope;
    }

    private void append(ObjectNode envelope) throws IOException {
        if (file != null) {
            file.write(envelope.toString());
            file.write('\n');
            file.flush();
        }
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void closeFile() throws IOException {
        if (file != null) {
            file.close();
            file = null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        synchronized (this) {
            try {
                closeFile();
            } catch (IOException e) {
                // closing: nothing more to write
            }
        }
    }
}
