package io.scaflow.prime;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the priming clients talk to: one {@link LoopbackServer} answering AWS's JSON calls (by their
 * {@code X-Amz-Target}) from {@link InMemoryAws} and every other request as Shine would ({@link InMemoryShine}).
 * Records the AWS operations and the Shine requests it answered. Close it before the snapshot.
 */
public final class PrimingBackend implements AutoCloseable {

    private final InMemoryAws aws = new InMemoryAws();
    private final InMemoryShine shine;
    private final List<String> awsOperations = new CopyOnWriteArrayList<>();
    private final List<String> shineRequests = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;

    public PrimingBackend(Clock clock) {
        this.shine = new InMemoryShine(clock);
        try {
            this.server = new LoopbackServer(this::answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The loopback URL both AWS and Shine are reached at while priming. */
    public URI uri() {
        return server.uri();
    }

    /** The AWS operations answered, e.g. {@code DynamoDB_20120810.GetItem}. */
    public List<String> awsOperations() {
        return List.copyOf(awsOperations);
    }

    /** The Shine requests answered, {@code METHOD path}. */
    public List<String> shineRequests() {
        return List.copyOf(shineRequests);
    }

    private LoopbackServer.Answer answer(LoopbackServer.Request request) {
        String target = request.headers().get("x-amz-target");
        if (target == null) {
            shineRequests.add(request.method() + " " + request.path());
            return shine.answer(request.path());
        }
        awsOperations.add(target);
        try {
            JsonNode body = request.body().length == 0 ? Json.MAPPER.createObjectNode()
                    : Json.MAPPER.readTree(request.body());
            return new LoopbackServer.Answer(200, "application/x-amz-json-1.0",
                    Json.MAPPER.writeValueAsString(aws.answer(target, body)));
        } catch (IOException | RuntimeException e) {
            return new LoopbackServer.Answer(400, "application/x-amz-json-1.0",
                    "{\"__type\": \"ValidationException\", \"message\": \"priming cannot answer this\"}");
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
