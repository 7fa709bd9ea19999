package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The template's event source mappings on the flow table's stream, played on this machine: one thread per mapping
 * reads the stream in moto (DescribeStream, GetShardIterator from TRIM_HORIZON, GetRecords) and invokes the
 * function through the local Lambda service with Lambda's DynamoDB Streams event ({@code {"Records": [...]}},
 * at most {@code BatchSize} records), in the stream's order. As the deployed mapping does: a record named in the
 * answer's {@code batchItemFailures} is sent again with all that follows it; a failing invocation is bisected and
 * retried. Unlike it: retried until the stack stops (no MaximumRetryAttempts, no record age, no on-failure
 * destination: nothing reaches the dead-letter queue locally), one shard only (moto keeps one per table).
 */
final class LocalStreamMappings implements AutoCloseable {

    /**
     * How often a shard is read: Lambda polls a DynamoDB stream's shards four times a second. A fixed cadence also
     * bounds the load on moto, which serves one request at a time: reading again as soon as a batch is delivered
     * took enough of it under 200 concurrent flows to push API calls past their timeout.
     */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

    /** A mapping of the template: the function (logical id and qualifier) and its batch size. */
    record Mapping(String function, String qualifier, int batchSize) {
    }

    private final List<Thread> pollers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile boolean running = true;

    private LocalStreamMappings() {
    }

    /** Starts the template's mappings whose source is the flow table's stream; none when the table has no stream. */
    static LocalStreamMappings start(SamTemplate template, LocalResources resources, LocalLambdaService lambda,
                                     String region) {
        URI lambdaEndpoint = lambda.endpoint();
        LocalStreamMappings mappings = new LocalStreamMappings();
        Optional<String> streamArn = resources.streamArn();
        List<Mapping> declared = mappingsOf(template);
        if (streamArn.isEmpty() || declared.isEmpty()) {
            return mappings;
        }
        for (Mapping mapping : declared) {
            // As in AWS, the mapping reads the stream with its function's role: its calls are that function's
            // (recorded and checked against its role by make iam-check).
            String accessKeyId = lambda.environment(mapping.function()).required("AWS_ACCESS_KEY_ID");
            Thread poller = new Thread(() -> mappings.poll(mapping, resources.endpoint(), accessKeyId,
                    streamArn.get(), lambdaEndpoint, region), "stream-mapping-" + mapping.function());
            poller.setDaemon(true);
            mappings.pollers.add(poller);
            poller.start();
        }
        return mappings;
    }

    /** The {@code AWS::Lambda::EventSourceMapping}s whose EventSourceArn is {@code !GetAtt <the table>.StreamArn}. */
    static List<Mapping> mappingsOf(SamTemplate template) {
        String table = template.table().logicalId();
        List<Mapping> mappings = new ArrayList<>();
        template.root().path("Resources").properties().forEach(resource -> {
            JsonNode props = resource.getValue().path("Properties");
            JsonNode source = props.path("EventSourceArn").path("Fn::GetAtt");
            if (!"AWS::Lambda::EventSourceMapping".equals(resource.getValue().path("Type").asText())
                    || !table.equals(source.path(0).asText()) || !"StreamArn".equals(source.path(1).asText())) {
                return;
            }
            String reference = props.path("FunctionName").path("Ref").asText(props.path("FunctionName").asText());
            int dot = reference.indexOf('.');
            String function = dot < 0 ? reference : reference.substring(0, dot);
            mappings.add(new Mapping(function, dot < 0 ? "$LATEST" : "live", props.path("BatchSize").asInt(100)));
        });
        return mappings;
    }

    private void poll(Mapping mapping, URI moto, String accessKeyId, String streamArn, URI lambdaEndpoint,
                      String region) {
        try (DynamoDbStreamsClient streams = LocalAws.dynamoDbStreams(moto, accessKeyId)) {
            List<Shard> shards = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
            if (shards.isEmpty()) {
                return;
            }
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shards.get(0).shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (running && iterator != null) {
                long polledAt = System.nanoTime();
                String current = iterator;
                GetRecordsResponse page;
                try {
                    page = streams.getRecords(b -> b.shardIterator(current).limit(mapping.batchSize()));
                } catch (RuntimeException e) {
                    pause(RETRY_PAUSE);   // moto busy or slow: the same iterator again (Lambda retries too)
                    continue;
                }
                List<ObjectNode> records = page.records().stream()
                        .map(r -> StreamRecordJson.of(r, streamArn, region)).toList();
                if (!records.isEmpty()) {
                    deliver(mapping, lambdaEndpoint, records);
                }
                iterator = page.nextShardIterator();
                pause(POLL_INTERVAL.minusNanos(System.nanoTime() - polledAt));
            }
        } catch (RuntimeException e) {
            if (running) {
                System.err.println("local stream mapping for " + mapping.function() + " stopped: " + e);
            }
        }
    }

    /** Invokes the function until every record was taken (bisecting on a failed invocation). */
    private void deliver(Mapping mapping, URI lambdaEndpoint, List<ObjectNode> records) {
        List<ObjectNode> rest = records;
        int size = rest.size();
        while (running && !rest.isEmpty()) {
            List<ObjectNode> part = rest.subList(0, Math.min(size, rest.size()));
            Optional<JsonNode> answer = invoke(mapping, lambdaEndpoint, part);
            if (answer.isEmpty()) {
                size = Math.max(1, part.size() / 2);
                pause(RETRY_PAUSE);
                continue;
            }
            int failedAt = failedIndex(answer.get(), part);
            if (failedAt < part.size()) {
                rest = rest.subList(failedAt, rest.size());
                pause(RETRY_PAUSE);
                continue;
            }
            rest = rest.subList(part.size(), rest.size());
            size = rest.size();
        }
    }

    /** The index of the first record the answer names as failed; the batch's size when none is. */
    private static int failedIndex(JsonNode answer, List<ObjectNode> part) {
        int first = part.size();
        for (JsonNode failure : answer.path("batchItemFailures")) {
            String id = failure.path("itemIdentifier").asText("");
            for (int i = 0; i < part.size(); i++) {
                if (part.get(i).path("dynamodb").path("SequenceNumber").asText().equals(id)) {
                    first = Math.min(first, i);
                }
            }
            if (id.isEmpty()) {
                first = 0;   // Lambda: a failure without a valid id fails the whole batch
            }
        }
        return first;
    }

    /** The function's answer; empty when the invocation failed (a function error, a refusal, no connection). */
    private Optional<JsonNode> invoke(Mapping mapping, URI lambdaEndpoint, List<ObjectNode> records) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        records.forEach(event.putArray("Records")::add);
        URI uri = lambdaEndpoint.resolve("/2015-03-31/functions/"
                + URLEncoder.encode(mapping.function() + ":" + mapping.qualifier(), StandardCharsets.UTF_8)
                + "/invocations");
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString(event.toString())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || response.headers().firstValue("X-Amz-Function-Error").isPresent()) {
                return Optional.empty();
            }
            byte[] body = response.body();
            return Optional.of(body.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return Optional.empty();
        }
    }

    private void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread poller : pollers) {
            poller.interrupt();
        }
        for (Thread poller : pollers) {
            try {
                poller.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
