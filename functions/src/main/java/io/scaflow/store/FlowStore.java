package io.scaflow.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Flows in DynamoDB. Every status change is a conditional write from the status the caller expects, so no update
 * is lost and no flow moves backwards; a change to a final status removes the flow's secrets in the same write.
 * The tokens are stored encrypted under the {@link TokenCipher}; reading a flow decrypts nothing (see
 * {@link #getWithTokens}).
 */
public final class FlowStore implements Flows {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final Clock clock;
    private final FlowTokens tokens;

    public FlowStore(DynamoDbClient dynamo, String table, Duration retention, Clock clock, TokenCipher cipher) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.clock = clock;
        this.tokens = new FlowTokens(cipher);
    }

    /** Records a new flow; {@link FlowExistsException} when its id is taken. */
    @Override
    public void create(Flow flow) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(FlowItem.toItem(flow, expiryOf(flow.createdAt()), tokens))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", FlowItem.FLOW_ID)));
        } catch (ConditionalCheckFailedException e) {
            throw new FlowExistsException(flow.flowId());
        }
    }

    /**
     * Records a new flow, counted first in {@code counters} (see {@link UsageCounter}). A flow that exists already
     * (an idempotent retry) is not counted again. Each counter counts a flow id once: concurrent duplicates of one
     * request are counted once, and a flow is created only if every counter holds its id. When a counter refuses,
     * the ones that counted it take it back (best effort: a crash in between leaves it counted, the safe side).
     *
     * @throws FlowExistsException when its id is taken
     * @throws LimitExceededException naming the counter that refused (nothing created)
     */
    @Override
    public void create(Flow flow, List<UsageCounter> counters) {
        if (!counters.isEmpty() && find(flow.flowId()).isEmpty()) {
            List<UsageCounter> counted = new ArrayList<>();
            for (UsageCounter counter : counters) {
                if (!count(flow.flowId(), counter)) {
                    counted.forEach(done -> uncount(flow.flowId(), done));
                    throw new LimitExceededException(counter);
                }
                counted.add(counter);
            }
        }
        create(flow);
    }

    /** Adds {@code flowId}'s use to the counter unless it would pass its maximum; true once it is counted. */
    private boolean count(String flowId, UsageCounter counter) {
        if (counter.add().compareTo(counter.max()) > 0) {
            return false;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(counter.key()))
                    .updateExpression("ADD #used :add, #ids :id SET #ttl = :ttl")
                    .conditionExpression("(attribute_not_exists(#used) OR #used <= :room) AND NOT contains(#ids, :flow)")
                    .expressionAttributeNames(Map.of("#used", UsageCounter.USED, "#ids", UsageCounter.IDS,
                            "#ttl", FlowItem.TTL))
                    .expressionAttributeValues(Map.of(
                            ":add", AttributeValue.fromN(counter.add().toPlainString()),
                            ":id", AttributeValue.fromSs(List.of(flowId)),
                            ":flow", AttributeValue.fromS(flowId),
                            ":room", AttributeValue.fromN(counter.max().subtract(counter.add()).toPlainString()),
                            ":ttl", FlowItem.n(counter.resetAt().plus(Duration.ofHours(1)).getEpochSecond())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException e) {
            AttributeValue ids = e.hasItem() ? e.item().get(UsageCounter.IDS) : null;
            return ids != null && ids.hasSs() && ids.ss().contains(flowId);   // counted already (a duplicate)
        }
    }

    private void uncount(String flowId, UsageCounter counter) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(counter.key()))
                    .updateExpression("ADD #used :minus DELETE #ids :id")
                    .conditionExpression("contains(#ids, :flow)")
                    .expressionAttributeNames(Map.of("#used", UsageCounter.USED, "#ids", UsageCounter.IDS))
                    .expressionAttributeValues(Map.of(
                            ":minus", AttributeValue.fromN(counter.add().negate().toPlainString()),
                            ":id", AttributeValue.fromSs(List.of(flowId)),
                            ":flow", AttributeValue.fromS(flowId))));
        } catch (ConditionalCheckFailedException e) {
            // not counted there (any more): nothing to take back
        }
    }

    /** The flow; its tokens, if any, are sealed: decrypted on their first {@code reveal()}. */
    @Override
    public Optional<Flow> find(String flowId) {
        return find(flowId, false);
    }

    @Override
    public Flow get(String flowId) {
        return find(flowId).orElseThrow(() -> new FlowNotFoundException(flowId));
    }

    /**
     * The flow with its tokens decrypted now, so that a key or KMS failure ({@link TokenCipherException}) shows
     * before anything is done with them (ExecuteAction reads the flow so, before it marks anything as sent).
     */
    @Override
    public Flow getWithTokens(String flowId) {
        return find(flowId, true).orElseThrow(() -> new FlowNotFoundException(flowId));
    }

    private Optional<Flow> find(String flowId, boolean openTokens) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(flowId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item, openTokens));
    }

    private Flow read(Map<String, AttributeValue> item) {
        return read(item, false);
    }

    private Flow read(Map<String, AttributeValue> item, boolean openTokens) {
        return FlowItem.fromItem(item, tokens, openTokens);
    }

    /**
     * Applies {@code change} if the flow is still {@code expected} (and on the attempt, with the number of action
     * requests, that the change expects); returns the flow as written.
     *
     * @throws FlowConflictException when the flow is in another status (or missing), or changed otherwise
     * @throws IllegalStateException when the change would move the flow along an edge that does not exist
     */
    @Override
    public Flow change(String flowId, FlowStatus expected, FlowChange change) {
        Instant now = clock.instant();
        Optional<FlowStatus> target = change.target();
        boolean reconciliation = change.reconciliation().isPresent();
        if (target.isPresent() && !(reconciliation ? expected.canBeReconciledTo(target.get())
                : expected.canMoveTo(target.get()))) {
            throw new IllegalStateException("a flow cannot move from " + expected + " to " + target.get()
                    + (reconciliation ? " by a reconciliation" : ""));
        }
        Update update = new Update(now);
        String statusName = update.name(FlowItem.STATUS);
        target.ifPresent(status -> {
            update.sets.add(statusName + " = " + update.value(FlowItem.s(status.name())));
            update.append(FlowItem.HISTORY, FlowItem.change(new StatusChange(status, now, change.reason(),
                    change.reconciliation().orElse(null))));
            if (status.isFinal() || change.ends()) {
                update.removes.addAll(List.of(FlowItem.ACCESS_TOKEN, FlowItem.SHORT_LIVED_TOKEN));
                update.sets.add(update.name(FlowItem.TTL) + " = " + update.value(FlowItem.n(expiryOf(now))));
                update.sets.add(update.name(FlowItem.ENDED) + " = " + update.value(AttributeValue.fromBool(true)));
            }
        });
        if (change.announces()) {
            update.adds.add(update.name(FlowItem.SEQUENCE) + " " + update.value(FlowItem.n(1)));
        }
        change.received().ifPresent(update::receive);
        update.add(FlowItem.REJECTED_IDS, FlowItem.ids(change.rejected()));
        update.add(FlowItem.EXPIRED_IDS, FlowItem.ids(change.expired()));
        change.sets().forEach((name, value) -> update.sets.add(update.name(name) + " = " + update.value(value)));
        change.tokens().forEach((token, value) -> update.sets.add(update.name(token.attribute) + " = "
                + update.value(tokens.seal(flowId, token, value))));
        update.removes.addAll(change.removes());
        update.conditions.add(statusName + " = " + update.value(FlowItem.s(expected.name())));
        change.expectedAttempt().ifPresent(attempt ->
                update.conditions.add(update.name(FlowItem.ATTEMPT) + " = " + update.value(FlowItem.n(attempt))));
        change.expectedActionRequests().ifPresent(count -> update.conditions.add(count == 0
                ? "attribute_not_exists(" + update.name(FlowItem.ACTION_REQUEST_IDS) + ")"
                : "size(" + update.name(FlowItem.ACTION_REQUEST_IDS) + ") = " + update.value(FlowItem.n(count))));
        try {
            return read(update.run(flowId));
        } catch (ConditionalCheckFailedException e) {
            FlowStatus actual = e.hasItem() && e.item().containsKey(FlowItem.STATUS)
                    ? FlowStatus.valueOf(e.item().get(FlowItem.STATUS).s())
                    : find(flowId).map(Flow::status).orElse(null);
            throw new FlowConflictException(flowId, expected, actual);
        }
    }

    /**
     * Adds an action request to the flow's list whatever its status: every id that reached scaflow is kept (a
     * duplicate invocation's, a late answer's). Adding an id already listed changes nothing. Returns the flow.
     *
     * @throws FlowNotFoundException when the flow does not exist
     */
    @Override
    public Flow record(String flowId, KnownActionRequest request) {
        Update update = new Update(clock.instant());
        update.receive(request);
        update.conditions.add("attribute_exists(" + update.name(FlowItem.FLOW_ID) + ")");
        try {
            return read(update.run(flowId));
        } catch (ConditionalCheckFailedException e) {
            if (e.hasItem() && e.item().containsKey(FlowItem.FLOW_ID)) {
                return read(e.item());
            }
            return get(flowId);
        }
    }

    private long expiryOf(Instant from) {
        return from.plus(retention).getEpochSecond();
    }

    private static Map<String, AttributeValue> key(String flowId) {
        return Map.of(FlowItem.FLOW_ID, AttributeValue.fromS(flowId));
    }

    /** One UpdateItem: its SET, ADD and REMOVE actions and its conditions, every name and value a placeholder. */
    private final class Update {
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();
        final List<String> sets = new ArrayList<>();
        final List<String> adds = new ArrayList<>();
        final Set<String> removes = new LinkedHashSet<>();
        final List<String> conditions = new ArrayList<>();

        Update(Instant now) {
            sets.add(name(FlowItem.UPDATED_AT) + " = " + value(FlowItem.time(now)));
        }

        String name(String attribute) {
            String placeholder = "#" + attribute;
            names.put(placeholder, attribute);
            return placeholder;
        }

        String value(AttributeValue value) {
            String placeholder = ":v" + values.size();
            values.put(placeholder, value);
            return placeholder;
        }

        void append(String list, AttributeValue element) {
            String name = name(list);
            sets.add(name + " = list_append(if_not_exists(" + name + ", " + value(AttributeValue.fromL(List.of()))
                    + "), " + value(AttributeValue.fromL(List.of(element))) + ")");
        }

        void add(String set, AttributeValue elements) {
            if (elements != null) {
                adds.add(name(set) + " " + value(elements));
            }
        }

        /** Lists the request, unless its id is listed already (then the whole write does not apply). */
        void receive(KnownActionRequest request) {
            append(FlowItem.ACTION_REQUESTS, FlowItem.actionRequest(request));
            add(FlowItem.ACTION_REQUEST_IDS, FlowItem.ids(List.of(request.id())));
            conditions.add("NOT contains(" + name(FlowItem.ACTION_REQUEST_IDS) + ", "
                    + value(AttributeValue.fromS(request.id())) + ")");
        }

        Map<String, AttributeValue> run(String flowId) {
            String expression = "SET " + String.join(", ", sets)
                    + (adds.isEmpty() ? "" : " ADD " + String.join(", ", adds))
                    + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes.stream().map(this::name).toList()));
            return dynamo.updateItem(b -> b.tableName(table)
                    .key(key(flowId))
                    .updateExpression(expression)
                    .conditionExpression(String.join(" AND ", conditions))
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
        }
    }
}
