package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.api.ApiHandler;
import io.scaflow.flow.FlowExecutions;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.UsageLimits;
import io.scaflow.json.Json;
import io.scaflow.shine.ShineConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * The API's usage limits against moto: flows per caller and per uid per minute, amount per uid per day, counted
 * once per created flow (an idempotent retry is not counted), refused with 429 limit-exceeded and Retry-After,
 * and nothing started or written for a refused request.
 */
class UsageLimitsTest {

    private static final String CALLER = "arn:aws:iam::123456789012:user/limits";
    /** 10:00:15 UTC: 45 s left in the minute, 14 h left in the day. */
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:15Z");

    private FlowHarness harness;
    private ApiHandler api;
    private final AtomicInteger started = new AtomicInteger();

    @BeforeEach
    void start() {
        harness = new FlowHarness(Map.of());
        harness.clock.set(T0);
        FlowServices services = new FlowServices(harness.services.settings(), ShineConfig.actionsFromEnv(harness.env),
                harness.services.store(),
                () -> {
                    throw new AssertionError("the API reads no secret");
                },
                () -> {
                    throw new AssertionError("the API never calls Shine");
                },
                () -> new FlowExecutions(new CountingSfn(), "arn:aws:states:eu-west-3:123456789012:stateMachine:sca"),
                harness.clock, new UsageLimits(3, 2, new BigDecimal("100")));
        api = new ApiHandler(services);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aUidGetsAtMostItsFlowsAMinuteAndAgainTheNextMinute() {
        assertThat(transfer(CALLER, "uid-a", "1", null).path("statusCode").asInt()).isEqualTo(202);
        assertThat(transfer(CALLER, "uid-a", "1", null).path("statusCode").asInt()).isEqualTo(202);

        JsonNode refused = transfer(CALLER, "uid-a", "1", null);
        assertLimit(refused, "uid", 45);
        assertThat(started).hasValue(2);
        assertThat(flowItems()).hasSize(2);

        harness.advance(Duration.ofSeconds(45));
        assertThat(transfer(CALLER, "uid-a", "1", null).path("statusCode").asInt()).isEqualTo(202);
    }

    @Test
    void anIdempotentRetryIsNotCountedAgain() {
        String first = body(transfer(CALLER, "uid-b", "1", "key-1")).path("id").asText();
        for (int i = 0; i < 3; i++) {
            JsonNode retry = transfer(CALLER, "uid-b", "1", "key-1");
            assertThat(retry.path("statusCode").asInt()).isEqualTo(202);
            assertThat(body(retry).path("id").asText()).isEqualTo(first);
        }

        assertThat(transfer(CALLER, "uid-b", "1", "key-2").path("statusCode").asInt()).isEqualTo(202);
        assertLimit(transfer(CALLER, "uid-b", "1", "key-3"), "uid", 45);
    }

    @Test
    void concurrentDuplicatesOfOneRequestAreCountedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(pool.submit(() -> transfer(CALLER, "uid-dup", "1", "same-key")));
            }
            Set<String> ids = new HashSet<>();
            for (Future<JsonNode> answer : answers) {
                assertThat(answer.get().path("statusCode").asInt()).as(answer.get().toString()).isEqualTo(202);
                ids.add(body(answer.get()).path("id").asText());
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdown();
        }

        assertThat(transfer(CALLER, "uid-dup", "1", "other-key").path("statusCode").asInt()).isEqualTo(202);
        assertLimit(transfer(CALLER, "uid-dup", "1", "third-key"), "uid", 45);
    }

    @Test
    void aUidsFlowsTotalAtMostTheDailyAmount() {
        assertThat(transfer(CALLER, "uid-c", "60", null).path("statusCode").asInt()).isEqualTo(202);
        assertLimit(transfer(CALLER, "uid-c", "50.01", null), "amount", Duration.ofHours(14).minusSeconds(15).toSeconds());
        harness.advance(Duration.ofMinutes(1));
        assertThat(transfer(CALLER, "uid-c", "40", null).path("statusCode").asInt()).isEqualTo(202);

        assertLimit(transfer(CALLER, "uid-d", "100.50", null), "amount", Duration.ofHours(14).minusSeconds(75).toSeconds());
        assertThat(started).hasValue(2);
    }

    @Test
    void aCallerStartsAtMostItsFlowsAMinuteWhateverTheUid() {
        for (String uid : List.of("uid-e", "uid-f", "uid-g")) {
            assertThat(transfer(CALLER, uid, "1", null).path("statusCode").asInt()).isEqualTo(202);
        }
        assertLimit(transfer(CALLER, "uid-h", "1", null), "Authorization", 45);
        assertThat(transfer("arn:aws:iam::123456789012:user/other", "uid-h", "1", null).path("statusCode").asInt())
                .isEqualTo(202);
    }

    private static void assertLimit(JsonNode answer, String field, long retryAfter) {
        assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(429);
        assertThat(answer.path("headers").path("Retry-After").asText()).isEqualTo(Long.toString(retryAfter));
        JsonNode problem = body(answer);
        assertThat(problem.path("code").asText()).isEqualTo("limit-exceeded");
        assertThat(problem.path("errors")).singleElement()
                .satisfies(e -> assertThat(e.path("field").asText()).isEqualTo(field));
        assertThat(problem.toString()).doesNotContain("token-");
    }

    private JsonNode transfer(String caller, String uid, String amount, String key) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("resource", "/v1/transfers").put("path", "/v1/transfers")
                .put("httpMethod", "POST").put("isBase64Encoded", false)
                .put("body", "{\"uid\": \"" + uid + "\", \"amount\": " + amount
                        + ", \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"token-" + uid + "\"}");
        ObjectNode headers = event.putObject("headers").put("Content-Type", "application/json");
        ObjectNode multi = event.putObject("multiValueHeaders");
        multi.putArray("Content-Type").add("application/json");
        if (key != null) {
            headers.put("Idempotency-Key", key);
            multi.putArray("Idempotency-Key").add(key);
        }
        event.putObject("requestContext").put("accountId", "123456789012").put("stage", "live")
                .putObject("identity").put("userArn", caller).put("accountId", "123456789012")
                .put("caller", "AIDA" + UUID.nameUUIDFromBytes(caller.getBytes()).toString().substring(0, 8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            api.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode body(JsonNode answer) {
        try {
            return Json.MAPPER.readTree(answer.path("body").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table's flow items (counter items have a key with ':', which no flow id has). */
    private List<String> flowItems() {
        List<String> ids = new ArrayList<>();
        harness.dynamo.scan(b -> b.tableName(harness.table)).items().forEach(item -> {
            AttributeValue id = item.get("flowId");
            if (!id.s().contains(":")) {
                ids.add(id.s());
            }
        });
        return ids;
    }

    /** Step Functions that only counts the executions started. */
    private final class CountingSfn implements SfnClient {
        @Override
        public StartExecutionResponse startExecution(StartExecutionRequest request) {
            started.incrementAndGet();
            return StartExecutionResponse.builder().executionArn("arn:aws:states:::execution:sca:" + request.name())
                    .startDate(Instant.now()).build();
        }

        @Override
        public String serviceName() {
            return "states";
        }

        @Override
        public void close() {
        }
    }
}
