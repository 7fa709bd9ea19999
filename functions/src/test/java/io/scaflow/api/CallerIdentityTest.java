package io.scaflow.api;

import static io.scaflow.api.ApiKit.delete;
import static io.scaflow.api.ApiKit.get;
import static io.scaflow.api.ApiKit.post;
import static io.scaflow.api.ApiKit.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Who the caller is: the IAM identity API Gateway authenticated, or nobody (403). Every session of a role is that
 * role; flows nobody started through the API (console executions) belong to no caller.
 */
class CallerIdentityTest {

    private static final String ROLE_SESSION_A = "arn:aws:sts::123456789012:assumed-role/fintech-backend/task-a";
    private static final String ROLE_SESSION_B = "arn:aws:sts::123456789012:assumed-role/fintech-backend/task-b";

    private final ApiKit api = new ApiKit();

    static Stream<Arguments> withoutIamIdentity() {
        return Stream.<Arguments>of(
                Arguments.of("no identity at all", (Consumer<ObjectNode>) context -> context.remove("identity")),
                Arguments.of("no userArn, a caller and an account", (Consumer<ObjectNode>) context -> {
                    context.put("accountId", "123456789012");
                    ((ObjectNode) context.get("identity")).remove("userArn");
                    ((ObjectNode) context.get("identity")).put("caller", "AIDAEXAMPLE").put("accountId", "123456789012");
                }),
                Arguments.of("a blank userArn", (Consumer<ObjectNode>) context ->
                        ((ObjectNode) context.get("identity")).put("userArn", "  ")),
                Arguments.of("a userArn that is not text", (Consumer<ObjectNode>) context ->
                        ((ObjectNode) context.get("identity")).put("userArn", 42)),
                Arguments.of("a userArn that is no ARN", (Consumer<ObjectNode>) context ->
                        ((ObjectNode) context.get("identity")).put("userArn", "anonymous")),
                Arguments.of("no requestContext", (Consumer<ObjectNode>) context -> context.removeAll()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withoutIamIdentity")
    void aRequestWithoutAnIamIdentityIsForbidden(String what, Consumer<ObjectNode> strip) {
        ApiKit.Event start = post("/v1/transfers", transfer("u-1", "10"));
        strip.accept((ObjectNode) start.json().get("requestContext"));
        api.send(start).assertProblem(403, "forbidden", "identity");
        assertThat(api.dynamo.size()).isZero();
        assertThat(api.sfn.started()).isEmpty();

        String id = api.send(post("/v1/transfers", transfer("u-1", "10"))).body().get("id").asText();
        for (ApiKit.Event read : new ApiKit.Event[] {get(id), delete(id)}) {
            strip.accept((ObjectNode) read.json().get("requestContext"));
            ApiKit.Answer answer = api.send(read).assertProblem(403, "forbidden", "identity");
            assertThat(answer.proxy().toString()).doesNotContain(id + "\"").doesNotContain("u-1");
        }
        assertThat(api.send(get(id)).body().get("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void twoSessionsOfOneRoleShareTheirFlowsAndIdempotencyKeys() {
        ApiKit.Answer first = api.send(as(ROLE_SESSION_A, post("/v1/transfers", transfer("u-1", "10"))
                .header("Idempotency-Key", "order-7")));
        String id = first.body().get("id").asText();
        // its execution started (the fake runs nothing): a retry answers the flow as it is
        Map<String, AttributeValue> item = new HashMap<>(api.dynamo.item(id));
        item.put("status", AttributeValue.fromS("AWAITING_CONFIRMATION"));
        api.dynamo.put(item);
        ApiKit.Answer again = api.send(as(ROLE_SESSION_B, post("/v1/transfers", transfer("u-1", "10"))
                .header("Idempotency-Key", "order-7")));

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).as(again.proxy().toString()).isEqualTo(202);
        assertThat(again.body().get("id").asText()).isEqualTo(id);
        assertThat(api.sfn.started()).containsExactly(id);
        assertThat(api.dynamo.size()).isEqualTo(1);
        assertThat(api.send(as(ROLE_SESSION_B, get(id))).body().get("status").asText())
                .isEqualTo("AWAITING_CONFIRMATION");
        assertThat(api.send(as("arn:aws:sts::123456789012:assumed-role/fintech-backend/a-third-task", get(id)))
                .status()).isEqualTo(200);
    }

    @Test
    void anotherRoleOrUserIsAnotherCaller() {
        String id = api.send(as(ROLE_SESSION_A, post("/v1/transfers", transfer("u-1", "10"))))
                .body().get("id").asText();

        api.send(as("arn:aws:sts::123456789012:assumed-role/other-role/task-a", get(id)))
                .assertProblem(404, "not-found", "id");
        api.send(as("arn:aws:sts::999999999999:assumed-role/fintech-backend/task-a", get(id)))
                .assertProblem(404, "not-found", "id");
        api.send(as("arn:aws:iam::123456789012:user/fintech-backend", get(id))).assertProblem(404, "not-found", "id");
        assertThat(api.send(as("arn:aws:iam::123456789012:role/fintech-backend", get(id))).status()).isEqualTo(200);

        String users = api.send(as("arn:aws:iam::123456789012:user/a", post("/v1/transfers", transfer("u-1", "10"))))
                .body().get("id").asText();
        api.send(as("arn:aws:iam::123456789012:user/b", get(users))).assertProblem(404, "not-found", "id");
        assertThat(api.send(as("arn:aws:iam::123456789012:user/a", get(users))).status()).isEqualTo(200);
    }

    @Test
    void aFlowStartedFromTheConsoleIsHiddenFromEveryApiCaller() {
        FlowStore store = new FlowStore(api.dynamo, "flows", Duration.ofDays(90), api.clock,
                new io.scaflow.store.FakeTokenCipher());
        ObjectNode payload = Json.MAPPER.createObjectNode().put("amount", 10).put("bankTransferRecipientId", "r-1")
                .put("uid", "u-1");
        store.create(Flow.pending("console-run-1", "bank:transfers:create", "u-1", payload,
                Secret.of("console-token"), api.clock.instant()));

        api.send(get("console-run-1")).assertProblem(404, "not-found", "id");
        api.send(delete("console-run-1")).assertProblem(404, "not-found", "id");
        assertThat(store.get("console-run-1").status().name()).isEqualTo("PENDING");
    }

    private static ApiKit.Event as(String userArn, ApiKit.Event event) {
        ((ObjectNode) event.json().get("requestContext").get("identity")).put("userArn", userArn);
        return event;
    }
}
