package io.scaflow.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link Flows} in memory: the real {@link FlowStore} over {@link InMemoryDynamoDb}, so every rule of the store
 * (conditional writes, allowed moves, secrets dropped on a final status, every action request kept) holds here as
 * in DynamoDB, and a conditional write that loses throws the same {@link FlowConflictException}. A test can also put
 * another writer between a step's read and its write ({@link #beforeNextChange}), the race a duplicate invocation,
 * a cancel or a stopped execution makes; another invocation's create before this one's ({@link #beforeNextCreate});
 * or another writer between two reads of a step that waits for it ({@link #beforeNextRead}).
 */
public final class InMemoryFlows implements Flows {

    private final InMemoryDynamoDb dynamo;
    private final FlowStore store;
    private final Deque<Consumer<Flows>> interlopers = new ArrayDeque<>();
    private final Deque<Consumer<Flows>> creators = new ArrayDeque<>();
    private final Deque<Consumer<Flows>> readers = new ArrayDeque<>();

    public InMemoryFlows(Clock clock) {
        this(new InMemoryDynamoDb(), Duration.ofDays(90), clock);
    }

    public InMemoryFlows(InMemoryDynamoDb dynamo, Duration retention, Clock clock) {
        this.dynamo = dynamo;
        this.store = new FlowStore(dynamo, "flows", retention, clock, new FakeTokenCipher());
    }

    /** Runs the next queued creator first, if any, then the create. */
    @Override
    public void create(Flow flow) {
        next(creators).accept(store);
        store.create(flow);
    }

    /** Runs the next queued creator first, if any, then the create. */
    @Override
    public void create(Flow flow, List<UsageCounter> counters) {
        next(creators).accept(store);
        store.create(flow, counters);
    }

    /** Runs the next queued reader first, if any, then the read. */
    @Override
    public Optional<Flow> find(String flowId) {
        next(readers).accept(store);
        return store.find(flowId);
    }

    /** Runs the next queued reader first, if any, then the read. */
    @Override
    public Flow get(String flowId) {
        next(readers).accept(store);
        return store.get(flowId);
    }

    /** Runs the next queued reader first, if any, then the read. */
    @Override
    public Flow getWithTokens(String flowId) {
        next(readers).accept(store);
        return store.getWithTokens(flowId);
    }

    /** Runs the next queued interloper first, if any, then the change. */
    @Override
    public Flow change(String flowId, FlowStatus expected, FlowChange change) {
        next(interlopers).accept(store);
        return store.change(flowId, expected, change);
    }

    @Override
    public Flow record(String flowId, KnownActionRequest request) {
        return store.record(flowId, request);
    }

    /**
     * Another writer that acts on the store (given to it without interlopers) just before the next
     * {@link #change}: that change then meets what the writer left. Queued ones run one per change, in order.
     */
    public InMemoryFlows beforeNextChange(Consumer<Flows> interloper) {
        synchronized (interlopers) {
            interlopers.add(interloper);
        }
        return this;
    }

    /** Another writer that acts on the store just before the next {@link #create} (e.g. creates the same flow). */
    public InMemoryFlows beforeNextCreate(Consumer<Flows> creator) {
        synchronized (creators) {
            creators.add(creator);
        }
        return this;
    }

    /**
     * Another writer that acts on the store just before the next {@link #get} or {@link #find} (e.g. the invocation a
     * step waits for records its outcome): that read then sees what the writer left. Queued ones run one per read,
     * in order; {@code store -> { }} lets a read pass unchanged. Queue them from an interloper to start counting
     * reads from that point.
     */
    public InMemoryFlows beforeNextRead(Consumer<Flows> reader) {
        synchronized (readers) {
            readers.add(reader);
        }
        return this;
    }

    /** The store without interlopers, for setting a flow up. */
    public Flows direct() {
        return store;
    }

    private static Consumer<Flows> next(Deque<Consumer<Flows>> queue) {
        synchronized (queue) {
            Consumer<Flows> next = queue.poll();
            return next == null ? store -> { } : next;
        }
    }

    /** The item as DynamoDB would hold it (to see what is at rest: secrets, ttl), or null. */
    public Map<String, AttributeValue> item(String flowId) {
        return dynamo.item(flowId);
    }
}
