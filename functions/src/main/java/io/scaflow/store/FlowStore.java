package io.scaflow.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Flows in DynamoDB. Every status change is a conditional write from the status the caller expects, so no update
 * is lost and no flow moves backwards; a change to a final status removes the flow's secrets in the same write.
 */
public final class FlowStore {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final Clock clock;

    public FlowStore(DynamoDbClient dynamo, String table, Duration retention, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.clock = clock;
    }

    /** Records a new flow; {@link FlowExistsException} when its id is taken. */
    public void create(Flow flow) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(FlowItem.toItem(flow, expiryOf(flow.createdAt())))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", FlowItem.FLOW_ID)));
        } catch (ConditionalCheckFailedException e) {
            throw new FlowExistsException(flow.flowId());
        }
    }

    public Optional<Flow> find(String flowId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(flowId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(FlowItem.fromItem(item));
    }

    public Flow get(String flowId) {
        return find(flowId).orElseThrow(() -> new FlowNotFoundException(flowId));
    }

    /**
     * Applies {@code change} if the flow is still {@code expected}; returns the flow as written.
     *
     * @throws FlowConflictException when the flow is in another status (or missing)
     * @throws IllegalStateException when the change would move the flow along an edge that does not exist
     */
    public Flow change(String flowId, FlowStatus expected, FlowChange change) {
        Instant now = clock.instant();
        Optional<FlowStatus> target = change.target();
        if (target.isPresent() && !expected.canMoveTo(target.get())) {
            throw new IllegalStateException("a flow cannot move from " + expected + " to " + target.get());
        }
        Expression expression = new Expression();
        String statusName = expression.name(FlowItem.STATUS);
        List<String> sets = new ArrayList<>();
        sets.add(expression.name(FlowItem.UPDATED_AT) + " = " + expression.value(FlowItem.time(now)));
        target.ifPresent(status -> {
            sets.add(statusName + " = " + expression.value(FlowItem.s(status.name())));
            String history = expression.name(FlowItem.HISTORY);
            sets.add(history + " = list_append(if_not_exists(" + history + ", " + expression.value(AttributeValue.fromL(List.of()))
                    + "), " + expression.value(AttributeValue.fromL(List.of(
                            FlowItem.change(new StatusChange(status, now, change.reason()))))) + ")");
            if (status.isFinal() || change.ends()) {
                change.forgetSecrets();
                sets.add(expression.name(FlowItem.TTL) + " = " + expression.value(FlowItem.n(expiryOf(now))));
            }
        });
        change.sets().forEach((name, value) -> sets.add(expression.name(name) + " = " + expression.value(value)));
        String update = "SET " + String.join(", ", sets) + (change.removes().isEmpty() ? ""
                : " REMOVE " + String.join(", ", change.removes().stream().map(expression::name).toList()));
        String condition = statusName + " = " + expression.value(FlowItem.s(expected.name()));
        try {
            Map<String, AttributeValue> written = dynamo.updateItem(b -> b.tableName(table)
                    .key(key(flowId))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(expression.names)
                    .expressionAttributeValues(expression.values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return FlowItem.fromItem(written);
        } catch (ConditionalCheckFailedException e) {
            FlowStatus actual = e.hasItem() && e.item().containsKey(FlowItem.STATUS)
                    ? FlowStatus.valueOf(e.item().get(FlowItem.STATUS).s())
                    : find(flowId).map(Flow::status).orElse(null);
            throw new FlowConflictException(flowId, expected, actual);
        }
    }

    private long expiryOf(Instant from) {
        return from.plus(retention).getEpochSecond();
    }

    private static Map<String, AttributeValue> key(String flowId) {
        return Map.of(FlowItem.FLOW_ID, AttributeValue.fromS(flowId));
    }

    /** Placeholders for attribute names and values: every name goes through one, reserved word or not. */
    private static final class Expression {
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();

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
    }
}
