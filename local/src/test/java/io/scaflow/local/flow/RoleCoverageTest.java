package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.api.ApiHandler;
import io.scaflow.config.Env;
import io.scaflow.events.PublishStatusEventsHandler;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.flow.ExecutionEndedHandler;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.flow.RecordFailureHandler;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.stack.SamTemplate;
import io.scaflow.local.stack.TemplatePolicies;
import io.scaflow.store.FlowStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Each function's code, run through every path that touches AWS (an API flow to SUCCEEDED, a console flow, a
 * cancel, a recorded failure, an execution stopped from the console), calls exactly what its template role allows:
 * every call it makes is allowed, and every allowed action is used. Each function gets its own recording proxy in
 * front of moto, the deployed code path for secrets (no SHINE_CLIENT_ID), and TOKEN_KEY_ID only where the
 * template sets it.
 */
class RoleCoverageTest {

    private static final String CREDENTIALS = "scaflow/shine-credentials";
    private static final String CALLER = "arn:aws:iam::123456789012:user/roles";

    private final SamTemplate template = SamTemplate.read(RepoRoot.find().resolve("template.yaml"));
    private final Map<String, RecordingAwsProxy> proxies = new LinkedHashMap<>();
    private final Map<String, FlowServices> services = new HashMap<>();
    private final Map<String, Env> environments = new HashMap<>();
    /**
     * What the publisher's role allows for its event source mapping, which Lambda's service calls with that role
     * (reading the stream, sending a failed batch to the dead-letter queue): the function's code makes none.
     */
    private static final Set<String> MAPPING_ACTIONS = Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
            "dynamodb:GetShardIterator", "dynamodb:ListStreams", "sqs:SendMessage");
    private static final String BUS = "roles-flow-events";
    private FlowHarness harness;

    @BeforeEach
    void start() {
        harness = new FlowHarness(Map.of());
        String stateMachine;
        try (SfnClient sfn = LocalAws.sfn(FlowHarness.moto().endpoint())) {
            stateMachine = sfn.createStateMachine(b -> b.name("roles-" + UUID.randomUUID())
                    .definition("{\"StartAt\": \"Done\", \"States\": {\"Done\": {\"Type\": \"Succeed\"}}}")
                    .roleArn("arn:aws:iam::123456789012:role/sfn")).stateMachineArn();
        }
        putSecret(CREDENTIALS, "{\"clientId\": \"" + harness.sandbox.clientId() + "\", \"clientSecret\": \""
                + harness.sandbox.clientSecret() + "\"}");
        template.functions().forEach((name, function) -> {
            RecordingAwsProxy proxy = new RecordingAwsProxy(FlowHarness.moto().endpoint());
            proxies.put(name, proxy);
            Map<String, String> env = new HashMap<>();
            env.putAll(Map.of("AWS_ENDPOINT_URL", proxy.endpoint().toString(), "SHINE_CLIENT_ID", "",
                    "SHINE_CLIENT_SECRET", "", "SHINE_CREDENTIALS_SECRET_ID", CREDENTIALS,
                    "STATE_MACHINE_ARN", stateMachine,
                    "TOKEN_KEY_ID", function.environment().containsKey("TOKEN_KEY_ID") ? FlowHarness.tokenKey() : "",
                    "CALLER_STARTS_PER_MINUTE", "100", "USER_STARTS_PER_MINUTE", "10", "USER_AMOUNT_PER_DAY", "1000"));
            function.environment().keySet().stream().filter("USER_TOKEN_SECRET_PREFIX"::equals)
                    .forEach(prefix -> env.put(prefix, "scaflow/users/"));
            function.environment().keySet().stream().filter("EVENT_BUS_NAME"::equals)
                    .forEach(bus -> env.put(bus, BUS));
            environments.put(name, harness.env.with(env));
            services.put(name, FlowServices.create(harness.env.with(env), harness.clock));
        });
    }

    @AfterEach
    void stop() {
        proxies.values().forEach(RecordingAwsProxy::close);
        harness.close();
    }

    @Test
    void eachFunctionCallsExactlyWhatItsRoleAllows() {
        String apiFlow = body(api(post("uid-api", "key-1"))).path("id").asText();
        step("CreateActionRequestFunction", new CreateActionRequestHandler(services.get("CreateActionRequestFunction")),
                FlowHarness.event("create-action-request.json", apiFlow));
        harness.sandbox.confirm(harness.services.store().get(apiFlow).actionRequestId());
        assertThat(step("PollActionRequestFunction", new PollActionRequestHandler(services.get("PollActionRequestFunction")),
                FlowHarness.event("poll-action-request.json", apiFlow).put("pollCount", 0)).path("status").asText())
                .isEqualTo("CONFIRMED");
        assertThat(step("ExecuteActionFunction", new ExecuteActionHandler(services.get("ExecuteActionFunction")),
                FlowHarness.event("execute-action.json", apiFlow)).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(api(get(apiFlow)).path("statusCode").asInt()).isEqualTo(200);

        String consoleFlow = "console-" + UUID.randomUUID();
        ObjectNode create = FlowHarness.event("create-action-request.json", consoleFlow);
        create.set("input", consoleInput("uid-console"));
        step("CreateActionRequestFunction", new CreateActionRequestHandler(services.get("CreateActionRequestFunction")), create);
        ObjectNode failure = FlowHarness.event("record-failure.json", consoleFlow);
        failure.putObject("error").put("Error", "States.Timeout").put("Cause", "test");
        step("RecordFailureFunction", new RecordFailureHandler(services.get("RecordFailureFunction")), failure);

        String cancelled = body(api(post("uid-cancel", "key-2"))).path("id").asText();
        assertThat(api(delete(cancelled)).path("statusCode").asInt()).isEqualTo(200);

        String stopped = body(api(post("uid-stopped", "key-3"))).path("id").asText();
        invoke(new ExecutionEndedHandler(services.get("ExecutionEndedFunction")), stoppedEvent(stopped));
        assertThat(harness.services.store().get(stopped).status()).isEqualTo(FlowStatus.CANCELLED);

        try (software.amazon.awssdk.services.eventbridge.EventBridgeClient events = LocalAws.local(
                software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder(),
                FlowHarness.moto().endpoint()).build()) {
            events.createEventBus(b -> b.name(BUS));
        } catch (software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException exists) {
            // a bus of an earlier run of this test in the same moto
        }
        JsonNode published = invoke(new PublishStatusEventsHandler(environments.get("PublishStatusEventsFunction")),
                sampleStreamEvent());
        assertThat(published.path("batchItemFailures")).isEmpty();

        TemplatePolicies policies = new TemplatePolicies(template);
        proxies.forEach((function, proxy) -> {
            Set<String> allowed = new TreeSet<>(policies.allowed(function));
            if (function.equals("PublishStatusEventsFunction")) {
                assertThat(allowed).containsAll(MAPPING_ACTIONS);
                allowed.removeAll(MAPPING_ACTIONS);
            }
            assertThat(normalised(proxy.actions())).as(function).containsExactlyInAnyOrderElementsOf(allowed);
        });
    }

    /** The sample DynamoDB Streams event of events/ (a flow recorded, then waiting: two status events). */
    private static JsonNode sampleStreamEvent() {
        try {
            return Json.MAPPER.readTree(RepoRoot.find().resolve("events/publish-status-events.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Secret reads as the template names them: by the parameter their name is made of. */
    private static Set<String> normalised(Set<String> actions) {
        Set<String> out = new TreeSet<>();
        for (String action : actions) {
            out.add(action.equals("secretsmanager:GetSecretValue " + CREDENTIALS)
                    ? "secretsmanager:GetSecretValue " + TemplatePolicies.SHINE_CREDENTIALS
                    : action.startsWith("secretsmanager:GetSecretValue scaflow/users/")
                    ? "secretsmanager:GetSecretValue " + TemplatePolicies.USER_TOKENS : action);
        }
        return out;
    }

    private JsonNode consoleInput(String uid) {
        putSecret("scaflow/users/" + uid, "{\"accessToken\": \"" + harness.sandbox.accessTokenOf(uid) + "\"}");
        ObjectNode input = Json.MAPPER.createObjectNode().put("action", "bank:transfers:create").put("uid", uid)
                .put("accessTokenSecretId", "scaflow/users/" + uid);
        input.putObject("payload").put("amount", 5).put("bankTransferRecipientId", "r-1").put("uid", uid);
        return input;
    }

    private void putSecret(String name, String value) {
        try (SecretsManagerClient sm = LocalAws.secretsManager(FlowHarness.moto().endpoint())) {
            sm.createSecret(b -> b.name(name).secretString(value));
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException exists) {
            try (SecretsManagerClient sm = LocalAws.secretsManager(FlowHarness.moto().endpoint())) {
                sm.putSecretValue(b -> b.secretId(name).secretString(value));
            }
        }
    }

    private JsonNode step(String function, com.amazonaws.services.lambda.runtime.RequestStreamHandler handler,
                          JsonNode event) {
        assertThat(proxies).containsKey(function);
        return invoke(handler, event);
    }

    private JsonNode api(ObjectNode event) {
        return invoke(new ApiHandler(services.get("ApiFunction")), event);
    }

    private static JsonNode invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler, JsonNode event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
            return out.size() == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode stoppedEvent(String flowId) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("source", "aws.states")
                .put("detail-type", "Step Functions Execution Status Change");
        event.putObject("detail").put("name", flowId).put("status", "ABORTED")
                .put("executionArn", "arn:aws:states:eu-west-3:123456789012:execution:sca:" + flowId);
        return event;
    }

    private ObjectNode post(String uid, String key) {
        ObjectNode event = proxyEvent("POST", "/v1/transfers", "/v1/transfers");
        event.put("body", "{\"uid\": \"" + uid + "\", \"amount\": 12.5, \"bankTransferRecipientId\": \"r-1\", "
                + "\"accessToken\": \"" + harness.sandbox.accessTokenOf(uid) + "\"}");
        header(event, "Content-Type", "application/json");
        header(event, "Idempotency-Key", key);
        return event;
    }

    private static ObjectNode get(String id) {
        ObjectNode event = proxyEvent("GET", "/v1/actions/{id}", "/v1/actions/" + id);
        event.putObject("pathParameters").put("id", id);
        return event;
    }

    private static ObjectNode delete(String id) {
        ObjectNode event = proxyEvent("DELETE", "/v1/actions/{id}", "/v1/actions/" + id);
        event.putObject("pathParameters").put("id", id);
        return event;
    }

    private static ObjectNode proxyEvent(String method, String resource, String path) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("resource", resource).put("path", path)
                .put("httpMethod", method).put("isBase64Encoded", false);
        event.putObject("headers");
        event.putObject("multiValueHeaders");
        event.putObject("requestContext").put("accountId", "123456789012").put("stage", "live")
                .putObject("identity").put("userArn", CALLER).put("accountId", "123456789012").put("caller", "AIDAROLES");
        return event;
    }

    private static void header(ObjectNode event, String name, String value) {
        ((ObjectNode) event.get("headers")).put(name, value);
        ((ObjectNode) event.get("multiValueHeaders")).putArray(name).add(value);
    }

    private static JsonNode body(JsonNode answer) {
        assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(202);
        try {
            return Json.MAPPER.readTree(answer.path("body").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
