package io.scaflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.config.Env;
import io.scaflow.flow.FlowExecutions;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.FlowSettings;
import io.scaflow.json.Json;
import io.scaflow.shine.ShineConfig;
import io.scaflow.store.FakeTokenCipher;
import io.scaflow.store.InMemoryFlows;
import io.scaflow.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The API handler with the AWS services it calls held in memory ({@link FakeDynamoDb}, {@link FakeStepFunctions}):
 * API Gateway REST proxy events (payload format 1.0) go in as bytes, proxy answers come out. No server, no network.
 */
final class ApiKit {

    static final String CALLER = "arn:aws:iam::123456789012:user/test";
    static final String STATE_MACHINE = "arn:aws:states:eu-west-3:123456789012:stateMachine:ScaFlowStateMachine";

    final FakeDynamoDb dynamo = new FakeDynamoDb();
    final FakeStepFunctions sfn = new FakeStepFunctions();
    final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
    /** The flows on {@link #dynamo}, with interlopers for races. */
    final InMemoryFlows flows;
    private final ApiHandler handler;

    ApiKit() {
        this(Map.of());
    }

    ApiKit(Map<String, String> environment) {
        Map<String, String> values = new HashMap<>(Map.of("TABLE_NAME", "flows", "STATE_MACHINE_ARN", STATE_MACHINE));
        values.putAll(environment);
        Env env = new Env(values);
        FlowSettings settings = FlowSettings.fromEnv(env);
        this.flows = new InMemoryFlows(dynamo, settings.flowRetention(), clock);
        FlowServices services = new FlowServices(settings, ShineConfig.actionsFromEnv(env), flows,
                () -> {
                    throw new AssertionError("the API reads no secret");
                },
                () -> {
                    throw new AssertionError("the API never calls Shine");
                },
                () -> new FlowExecutions(sfn, STATE_MACHINE), clock);
        this.handler = new ApiHandler(services);
    }

    /** A POST with a JSON body and {@code Content-Type: application/json}. */
    static Event post(String path, String body) {
        return new Event("POST", path, path).header("Content-Type", "application/json").body(body);
    }

    static Event get(String id) {
        return new Event("GET", "/v1/actions/{id}", "/v1/actions/" + id).pathParameter("id", id);
    }

    static Event delete(String id) {
        return new Event("DELETE", "/v1/actions/{id}", "/v1/actions/" + id).pathParameter("id", id);
    }

    static String transfer(String uid, String amount) {
        return "{\"uid\": \"" + uid + "\", \"amount\": " + amount
                + ", \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"token-" + uid + "\"}";
    }

    Answer send(Event event) {
        try {
            return send(Json.MAPPER.writeValueAsBytes(event.node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any bytes as the event, as the Lambda runtime would hand them over. */
    Answer send(byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
            return new Answer(Json.MAPPER.readTree(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A proxy event under construction; headers go to both {@code headers} and {@code multiValueHeaders}. */
    static final class Event {
        final ObjectNode node = Json.MAPPER.createObjectNode();

        Event(String method, String resource, String path) {
            node.put("resource", resource).put("path", path).put("httpMethod", method);
            node.putObject("headers");
            node.putObject("multiValueHeaders");
            node.putNull("pathParameters");
            node.putNull("body");
            node.put("isBase64Encoded", false);
            node.putObject("requestContext").put("accountId", "123456789012").put("stage", "live")
                    .put("path", "/live" + path).putObject("identity").put("userArn", CALLER);
        }

        /** {@code requestContext.path}: the path as the client sent it (a custom domain's base path, no stage). */
        Event sentPath(String path) {
            ((ObjectNode) node.get("requestContext")).put("path", path);
            return this;
        }

        Event header(String name, String value) {
            ((ObjectNode) node.get("headers")).put(name, value);
            ObjectNode multi = (ObjectNode) node.get("multiValueHeaders");
            (multi.has(name) ? (ArrayNode) multi.get(name) : multi.putArray(name)).add(value);
            return this;
        }

        Event withoutHeader(String name) {
            ((ObjectNode) node.get("headers")).remove(name);
            ((ObjectNode) node.get("multiValueHeaders")).remove(name);
            return this;
        }

        Event pathParameter(String name, String value) {
            (node.get("pathParameters").isObject() ? (ObjectNode) node.get("pathParameters")
                    : node.putObject("pathParameters")).put(name, value);
            return this;
        }

        Event body(String body) {
            if (body == null) {
                node.putNull("body");
            } else {
                node.put("body", body);
            }
            return this;
        }

        ObjectNode json() {
            return node;
        }
    }

    /** The proxy answer: {@code statusCode}, {@code headers}, {@code body} (text). */
    record Answer(JsonNode proxy) {

        int status() {
            return proxy.path("statusCode").asInt();
        }

        String header(String name) {
            return proxy.path("headers").path(name).asText(null);
        }

        JsonNode body() {
            try {
                return Json.MAPPER.readTree(proxy.path("body").asText());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + proxy, e);
            }
        }

        /**
         * A problem document: {@code status}, {@code application/problem+json}, the stable {@code code} in
         * {@code code} and in {@code type}, a title and a detail, and at least one {@code errors} entry naming
         * {@code field} with a reason.
         */
        Answer assertProblem(int status, String code, String field) {
            assertThat(status()).as(proxy.toString()).isEqualTo(status);
            assertThat(header("Content-Type")).as(proxy.toString()).isEqualTo("application/problem+json");
            JsonNode problem = body();
            assertThat(problem.path("code").asText()).as(problem.toString()).isEqualTo(code);
            assertThat(problem.path("type").asText()).isEqualTo("https://scaflow.dev/problems/" + code);
            assertThat(problem.path("status").asInt()).isEqualTo(status);
            assertThat(problem.path("title").asText()).isNotBlank();
            assertThat(problem.path("detail").asText()).isNotBlank();
            assertThat(problem.path("errors")).as(problem.toString()).isNotEmpty();
            assertThat(problem.path("errors")).allSatisfy(e -> {
                assertThat(e.path("field").asText()).isNotBlank();
                assertThat(e.path("reason").asText()).isNotBlank();
            });
            assertThat(problem.path("errors")).as(problem.toString())
                    .anySatisfy(e -> assertThat(e.path("field").asText()).isEqualTo(field));
            return this;
        }
    }
}
