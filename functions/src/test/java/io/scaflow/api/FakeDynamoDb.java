package io.scaflow.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * The two DynamoDB calls the API makes on its way in, in memory: a put that refuses an existing {@code flowId}
 * (the store's only condition on create) and a get. Any other call fails the test (the SDK's default methods).
 */
final class FakeDynamoDb implements DynamoDbClient {

    private final Map<String, Map<String, AttributeValue>> items = new ConcurrentHashMap<>();

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        String id = request.item().get("flowId").s();
        if (items.putIfAbsent(id, Map.copyOf(request.item())) != null) {
            throw ConditionalCheckFailedException.builder().message("the conditional request failed").build();
        }
        return PutItemResponse.builder().build();
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        Map<String, AttributeValue> item = items.get(request.key().get("flowId").s());
        return item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(item).build();
    }

    /** Stores an item as is (e.g. one written by an older version). */
    void put(Map<String, AttributeValue> item) {
        items.put(item.get("flowId").s(), Map.copyOf(item));
    }

    /** The item stored under {@code flowId}, or null. */
    Map<String, AttributeValue> item(String flowId) {
        return items.get(flowId);
    }

    int size() {
        return items.size();
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {
    }
}
