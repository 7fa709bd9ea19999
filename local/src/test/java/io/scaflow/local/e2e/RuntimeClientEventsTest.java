package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.stack.EventSeeds;
import io.scaflow.local.stack.LocalDeployment;
import io.scaflow.local.stack.LocalLambdaService;
import io.scaflow.local.stack.RuntimeClientConfig;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.Reconciliation;
import io.scaflow.store.StatusChange;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every function invoked with its {@code events/} file as deployed: the local Lambda service in its runtime-client
 * mode runs it in a JVM of its own from its {@code sam build} output ({@code .aws-sam/build/<Function>/}, which
 * {@code make test} builds before the Maven tests) under Lambda's runtime interface client, against moto and the
 * sandbox, the state the event assumes seeded first ({@link EventSeeds}). Without the build output the stack does
 * not start and every case fails, naming the missing folder.
 */
class RuntimeClientEventsTest {

    /** Files of events/ that are no function's event. */
    private static final Map<String, String> NOT_FUNCTION_EVENTS = Map.of(
            "statemachine-input.json", "the state machine's execution input (a console execution)",
            "env.local.json", "sam local's --env-vars file");

    private static final Path ROOT = RepoRoot.find();
    private static final Path LOG = ROOT.resolve("local/target/runtime-client-events.log");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalDeployment stack;
    private static EventSeeds seeds;

    /** Event file, function, and what the invocation must give: a step's status or the API's HTTP status. */
    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("create-action-request.json", "CreateActionRequestFunction", "AWAITING_CONFIRMATION"),
                Arguments.of("poll-action-request.json", "PollActionRequestFunction", "AWAITING_CONFIRMATION"),
                Arguments.of("execute-action.json", "ExecuteActionFunction", "SUCCEEDED"),
                Arguments.of("record-failure.json", "RecordFailureFunction", "FAILED"),
                Arguments.of("execution-ended.json", "ExecutionEndedFunction", "CANCELLED"),
                Arguments.of("api-post-transfer.json", "ApiFunction", "202"),
                Arguments.of("api-post-action.json", "ApiFunction", "202"),
                Arguments.of("api-get-action.json", "ApiFunction", "200"),
                Arguments.of("api-cancel-action.json", "ApiFunction", "200"),
                Arguments.of("api-reconcile-action.json", "ApiFunction", "200"),
                Arguments.of("publish-status-events.json", "PublishStatusEventsFunction", "published"));
    }

    @BeforeAll
    static void start() throws IOException {
        Files.deleteIfExists(LOG);
        stack = LocalDeployment.start(Map.of(), Optional.empty(), SandboxConfig.defaults().withPort(0), 0,
                RuntimeClientConfig.of(ROOT, LOG), Optional.empty());
        seeds = new EventSeeds(stack);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyEventFileIsInvokedHere() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(ROOT.resolve("events"))) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(files::add);
        }
        Set<String> covered = new java.util.HashSet<>(NOT_FUNCTION_EVENTS.keySet());
        events().forEach(a -> covered.add((String) a.get()[0]));
        assertThat(covered).containsAll(files);
    }

    @ParameterizedTest(name = "{1} with events/{0}")
    @MethodSource("events")
    void theFunctionRunsFromItsBuildArtifactUnderTheRuntimeClient(String file, String function, String expected)
            throws Exception {
        byte[] payload = Files.readAllBytes(ROOT.resolve("events").resolve(file));
        JsonNode event = Json.MAPPER.readTree(payload);
        seeds.prepare(function, event);

        JsonNode result = invoke(function, payload);
        if (function.equals("ApiFunction")) {
            assertThat(result.get("statusCode").asText()).as(result.toString()).isEqualTo(expected);
            if (file.equals("api-reconcile-action.json")) {
                assertReconciled(event, Json.MAPPER.readTree(result.get("body").asText()));
            }
        } else if (function.equals("PublishStatusEventsFunction")) {
            // the stream records of the file, every one put on the local bus, none reported failed
            assertThat(result.get("batchItemFailures")).as(result.toString()).isEmpty();
            assertThat(stack.eventBus().eventsOf("flow-0001")).isNotEmpty();
        } else {
            String status = result.has("status") ? result.get("status").asText() : result.path("flow").asText();
            assertThat(status).as(result.toString()).isEqualTo(expected);
            assertThat(stack.store().get("flow-0001").status()).isEqualTo(FlowStatus.valueOf(expected));
        }
        // the function's own JVM started (the in-process mode prints no JVM banner) and logged there
        assertThat(Files.readString(LOG)).contains("[" + function + "] Picked up JAVA_TOOL_OPTIONS");
    }

    /**
     * An SDK error path in the function's JVM: the repeated POST (same Idempotency-Key, so the same flow id) fails
     * the conditional write that records a new flow; DynamoDB's error comes back unmarshalled into its modeled
     * exception through the package's shrunk DynamoDB jar, and the API answers from the flow the first POST made.
     */
    @Test
    void aRepeatedPostFailsTheConditionalCreateAndIsAnsweredFromTheFirstFlow() throws Exception {
        byte[] payload = Files.readAllBytes(ROOT.resolve("events/api-post-transfer.json"));
        seeds.prepare("ApiFunction", Json.MAPPER.readTree(payload));
        JsonNode first = invoke("ApiFunction", payload);
        JsonNode again = invoke("ApiFunction", payload);

        assertThat(again.get("statusCode").asInt()).as(again.toString()).isEqualTo(202);
        String id = Json.MAPPER.readTree(first.get("body").asText()).get("id").asText();
        assertThat(Json.MAPPER.readTree(again.get("body").asText()).get("id").asText()).isEqualTo(id);
    }

    /** The seeded OUTCOME_UNKNOWN flow answered and stored SUCCEEDED, the event's caller and note recorded. */
    private static void assertReconciled(JsonNode event, JsonNode answer) throws IOException {
        assertThat(answer.path("id").asText()).isEqualTo("flow-0001");
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("SUCCEEDED");
        Flow flow = stack.store().get("flow-0001");
        assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(flow.history()).extracting(StatusChange::status).endsWith(FlowStatus.EXECUTING,
                FlowStatus.OUTCOME_UNKNOWN, FlowStatus.SUCCEEDED);
        JsonNode body = Json.MAPPER.readTree(event.get("body").asText());
        JsonNode identity = event.path("requestContext").path("identity");
        assertThat(flow.history().get(flow.history().size() - 1).reconciliation()).isEqualTo(new Reconciliation(
                identity.get("userArn").asText(), identity.get("caller").asText(), body.get("note").asText(),
                body.get("shineTransferId").asText()));
    }

    /** Invokes {@code function} through the local Lambda service; its result (an error fails the test). */
    private static JsonNode invoke(String function, byte[] payload) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(stack.lambda().endpoint()
                        .resolve(LocalLambdaService.PATH_PREFIX + function + "/invocations"))
                .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).as(response.body()).isEmpty();
        return Json.MAPPER.readTree(response.body());
    }
}
