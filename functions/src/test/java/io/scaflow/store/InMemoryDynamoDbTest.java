package io.scaflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/** The in-memory table refuses what DynamoDB refuses, so the store cannot pass here with a write DynamoDB rejects. */
class InMemoryDynamoDbTest {

    private final InMemoryDynamoDb dynamo = new InMemoryDynamoDb();

    @Test
    void aFailedConditionGivesTheOldItemWhenAskedAndChangesNothing() {
        dynamo.put(Map.of("flowId", s("f-1"), "status", s("CANCELLED")));

        assertThatThrownBy(() -> update("SET #s = :v0", "#s = :v1", Map.of("#s", "status"),
                Map.of(":v0", s("FAILED"), ":v1", s("PENDING"))))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class,
                        e -> assertThat(e.item()).containsEntry("status", s("CANCELLED")));
        assertThat(dynamo.item("f-1")).containsEntry("status", s("CANCELLED"));
    }

    @Test
    void aValueOrNameThatIsNotUsedIsAValidationError() {
        assertThatThrownBy(() -> update("SET #s = :v0", null, Map.of("#s", "status"),
                Map.of(":v0", s("FAILED"), ":v1", s("unused"))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("unused");
        assertThatThrownBy(() -> update("SET #s = :v0", null, Map.of("#s", "status", "#x", "x"), Map.of(":v0", s("A"))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("unused");
    }

    @Test
    void twoActionsOnOnePathAreAValidationError() {
        assertThatThrownBy(() -> update("SET #t = :v0 REMOVE #t", null, Map.of("#t", "accessToken"), Map.of(":v0", s("x"))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("overlap");
    }

    @Test
    void anEmptySetIsAValidationError() {
        assertThatThrownBy(() -> update("ADD #ids :v0", null, Map.of("#ids", "ids"),
                Map.of(":v0", AttributeValue.fromSs(List.of()))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("empty");
    }

    @Test
    void sizeAndContainsOfAMissingAttributeBehaveAsInDynamoDb() {
        dynamo.put(Map.of("flowId", s("f-1")));

        assertThatThrownBy(() -> update("SET #s = :v0", "size(#ids) = :v1", Map.of("#s", "status", "#ids", "ids"),
                Map.of(":v0", s("A"), ":v1", AttributeValue.fromN("0"))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        Map<String, AttributeValue> item = update("ADD #ids :v0", "NOT contains(#ids, :v1)", Map.of("#ids", "ids"),
                Map.of(":v0", AttributeValue.fromSs(List.of("a")), ":v1", s("a")));
        assertThat(item.get("ids").ss()).containsExactly("a");
        assertThatThrownBy(() -> update("ADD #ids :v0", "NOT contains(#ids, :v1)", Map.of("#ids", "ids"),
                Map.of(":v0", AttributeValue.fromSs(List.of("a")), ":v1", s("a"))))
                .isInstanceOf(ConditionalCheckFailedException.class);
    }

    @Test
    void anUnknownExpressionFormFailsLoudly() {
        assertThatThrownBy(() -> update("SET #s = :v0", "#s = :v0 OR #s = :v0", Map.of("#s", "status"), Map.of(":v0", s("A"))))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private Map<String, AttributeValue> update(String expression, String condition, Map<String, String> names,
                                               Map<String, AttributeValue> values) {
        return dynamo.updateItem(b -> b.tableName("flows").key(Map.of("flowId", s("f-1")))
                .updateExpression(expression).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
