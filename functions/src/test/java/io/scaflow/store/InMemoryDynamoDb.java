package io.scaflow.store;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The flow table in memory, for the three item calls {@link FlowStore} makes: GetItem, PutItem and UpdateItem,
 * keyed by {@code flowId} (one table: the table name is not looked at). Conditions and updates are evaluated by
 * {@link DynamoExpressions}; a condition that fails throws {@link ConditionalCheckFailedException}, carrying the
 * item as it was when {@code ALL_OLD} is asked for, as DynamoDB does. Calls are serialised, as DynamoDB serialises
 * writes to one item. Any other call fails the test (the SDK's default methods throw).
 */
public class InMemoryDynamoDb implements DynamoDbClient {

    private static final String KEY = FlowItem.FLOW_ID;

    private final Map<String, Map<String, AttributeValue>> items = new HashMap<>();

    @Override
    public synchronized GetItemResponse getItem(GetItemRequest request) {
        Map<String, AttributeValue> item = items.get(request.key().get(KEY).s());
        return item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(item).build();
    }

    @Override
    public synchronized PutItemResponse putItem(PutItemRequest request) {
        String id = request.item().get(KEY).s();
        Map<String, AttributeValue> old = items.get(id);
        DynamoExpressions expressions = new DynamoExpressions(request.expressionAttributeNames(),
                request.expressionAttributeValues());
        expressions.validate(request.conditionExpression());
        if (request.conditionExpression() != null && !expressions.holds(request.conditionExpression(), old)) {
            throw failed(old, request.returnValuesOnConditionCheckFailure());
        }
        items.put(id, Map.copyOf(request.item()));
        return PutItemResponse.builder().build();
    }

    @Override
    public synchronized UpdateItemResponse updateItem(UpdateItemRequest request) {
        String id = request.key().get(KEY).s();
        Map<String, AttributeValue> old = items.get(id);
        DynamoExpressions expressions = new DynamoExpressions(request.expressionAttributeNames(),
                request.expressionAttributeValues());
        expressions.validate(request.updateExpression(), request.conditionExpression());
        if (request.conditionExpression() != null && !expressions.holds(request.conditionExpression(), old)) {
            throw failed(old, request.returnValuesOnConditionCheckFailure());
        }
        Map<String, AttributeValue> item = new HashMap<>(old == null ? request.key() : old);
        expressions.update(request.updateExpression(), item);
        items.put(id, Map.copyOf(item));
        UpdateItemResponse.Builder response = UpdateItemResponse.builder();
        if (request.returnValues() == ReturnValue.ALL_NEW) {
            response.attributes(items.get(id));
        } else if (request.returnValues() == ReturnValue.ALL_OLD && old != null) {
            response.attributes(old);
        }
        return response.build();
    }

    /** Stores an item as is, over any item with its id (e.g. one written by an older version). */
    public synchronized void put(Map<String, AttributeValue> item) {
        items.put(item.get(KEY).s(), Map.copyOf(item));
    }

    /** The item as stored, or null. */
    public synchronized Map<String, AttributeValue> item(String flowId) {
        return items.get(flowId);
    }

    public synchronized int size() {
        return items.size();
    }

    private static ConditionalCheckFailedException failed(Map<String, AttributeValue> old,
                                                          ReturnValuesOnConditionCheckFailure returnValues) {
        ConditionalCheckFailedException.Builder failure = ConditionalCheckFailedException.builder()
                .message("The conditional request failed");
        if (old != null && returnValues == ReturnValuesOnConditionCheckFailure.ALL_OLD) {
            failure.item(old);
        }
        return (ConditionalCheckFailedException) failure.build();
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {
    }
}
