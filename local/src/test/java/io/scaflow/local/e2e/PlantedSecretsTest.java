package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.sandbox.ActionRequest;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.log.Log;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * Planted secrets: distinctive client secret, access tokens (valid ones with every character RFC 6750 allows,
 * invalid ones with control, non-ASCII and padding characters), secrets in headers and in ignored body fields,
 * console token secrets (good, ending in a newline, another user's), and Shine answers that quote the call's
 * secrets or carry a token no header may hold. The whole stack runs every case to its end; then none of the
 * secrets, nor any short-lived token the sandbox issued, is in any flow item (the table scanned in moto), any
 * handler log line, any execution history (GetExecutionHistory with its data) or any API answer.
 *
 * <p>Shine faults are per endpoint, not per user: those cases run one after the other.
 */
@Timeout(300)
class PlantedSecretsTest {

    private static final Duration MAX_RUN = Duration.ofSeconds(40);
    private static final String MARK = "PLANTED";
    private static final String CLIENT_SECRET = "cs-" + MARK + "-" + UUID.randomUUID() + "+/=&?%\u00e9#";

    private static URI api;
    private static PrintStream previousLog;
    private static final ByteArrayOutputStream LOGS = new ByteArrayOutputStream();
    private static final List<String> PLANTED = new CopyOnWriteArrayList<>();
    private static final List<String> ANSWERS = new CopyOnWriteArrayList<>();
    private static final List<String> FLOWS = new CopyOnWriteArrayList<>();

    /** The handlers' log lines are captured from before the stack starts until the class's last check. */
    @RegisterExtension
    @Order(1)
    static final BeforeAllCallback CAPTURE_LOGS = context -> {
        previousLog = Log.redirect(new PrintStream(LOGS, true, StandardCharsets.UTF_8));
        PLANTED.add(CLIENT_SECRET);
    };
    @RegisterExtension
    @Order(2)
    static final E2eStack STACK = E2eStack.fast()
            .sandbox(config -> config.withClientCredentials("planted-client", CLIENT_SECRET));
    private static final E2eDriver driver = STACK.driver();

    @BeforeAll
    static void start() {
        api = driver.stack().apiEndpoint();
    }

    @AfterAll
    static void restoreLog() {
        Log.redirect(previousLog);
    }

    @Test
    void noPlantedSecretReachesAnItemALogAHistoryOrAnAnswer() {
        String good = apiFlow(List.of(), FlowStatus.SUCCEEDED, null);
        assertThat(driver.transfersOf(flowUid(good))).hasSize(1);
        refusedTokens();
        refusedHeaders();
        apiFlow(List.of(Fault.echoSecrets(Endpoint.CREATE, 1, 400)), FlowStatus.FAILED, "shine-rejected-request");
        apiFlow(List.of(Fault.echoSecrets(Endpoint.POLL, 1, 403)), FlowStatus.FAILED, "shine-rejected-request");
        apiFlow(List.of(Fault.echoSecrets(Endpoint.TRANSFER, 1, 422)), FlowStatus.FAILED, "shine-rejected-request");
        apiFlow(List.of(Fault.echoSecrets(Endpoint.TRANSFER, 1, 500)), FlowStatus.OUTCOME_UNKNOWN, "outcome-unknown");
        apiFlow(List.of(Fault.of(Endpoint.POLL, Fault.Kind.ODD_TOKEN, 1_000)), FlowStatus.FAILED, "token-malformed");
        String console = consoleFlows();
        RawHttp.Answer hidden = RawHttp.send(api, "GET", "/v1/actions/" + console, List.of(), (String) null);
        ANSWERS.add(hidden.headers() + hidden.body());
        assertThat(hidden.status()).as("a console flow is not the API's").isEqualTo(404);

        List<String> secrets = new ArrayList<>(PLANTED);
        for (ActionRequest request : driver.sandbox().actionRequests()) {
            if (request.token() != null) {
                secrets.add(request.token());
            }
        }
        assertThat(secrets).hasSizeGreaterThan(PLANTED.size());
        Map<String, String> places = Map.of("flow items", items(), "handler logs", LOGS.toString(StandardCharsets.UTF_8),
                "execution histories", histories(), "API answers", String.join("\n", ANSWERS));
        places.forEach((place, text) -> {
            assertThat(text).as("%s are read", place).contains(good);
            if (place.equals("flow items") || place.equals("execution histories")) {
                FLOWS.forEach(id -> assertThat(text).as("%s are read in full", place).contains(id));
            }
            for (String secret : secrets) {
                assertThat(text).as("%s hold no planted secret", place).doesNotContain(secret);
            }
            assertThat(text).as(place).doesNotContain(MARK);
        });
    }

    /**
     * A transfer through the API (secrets in headers and an ignored body field too) with Shine's {@code faults},
     * run to its end; its final status and code checked. Returns the flow id.
     */
    private String apiFlow(List<Fault> faults, FlowStatus expected, String code) {
        String uid = newUser("api");
        String token = plant("at." + MARK + "_" + UUID.randomUUID().toString().replace("-", "") + "~+/==");
        driver.sandbox().registerUser(uid, token);
        driver.sandbox().setPolicy(uid, UserPolicy.confirmAfter(0));
        faults.forEach(driver.sandbox()::injectFault);
        ObjectNode body = transfer(uid, token).put("clientSecret", plant("ignored-" + MARK + UUID.randomUUID()));
        RawHttp.Answer started = RawHttp.send(api, "POST", "/v1/transfers", List.of(
                "Content-Type: application/json",
                "Authorization: Bearer " + plant("hdr-" + MARK + UUID.randomUUID()),
                "X-Api-Key: " + plant("key-" + MARK + UUID.randomUUID()),
                "Cookie: session=" + plant("cookie-" + MARK + UUID.randomUUID()),
                "Idempotency-Key: order-" + UUID.randomUUID()), body.toString());
        ANSWERS.add(started.headers() + started.body());
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String id = json(started.body()).get("id").asText();
        FLOWS.add(id);
        Flow flow = driver.awaitFlow(id, f -> f.hasEnded(3), MAX_RUN);
        driver.awaitEnd(driver.executionArn(id), MAX_RUN);
        driver.sandbox().clearFaults();
        RawHttp.Answer read = RawHttp.send(api, "GET", "/v1/actions/" + id, List.of(), (String) null);
        ANSWERS.add(read.headers() + read.body());
        assertThat(flow.status()).as("flow %s with %s", id, faults).isEqualTo(expected);
        if (code != null) {
            assertThat(flow.error().code()).isEqualTo(code);
        }
        assertThat(json(read.body()).get("status").asText()).isEqualTo(expected.name());
        return id;
    }

    /** Access tokens no header may carry: 400 naming accessToken, never quoted, nothing started. */
    private void refusedTokens() {
        String uid = newUser("bad");
        for (String odd : new String[] {"\u0001", "\n", "\u00e9", " x", "=x", "\u007f", "\r\n"}) {
            String token = plant("at-" + MARK + "-" + UUID.randomUUID() + odd);
            RawHttp.Answer answer = RawHttp.send(api, "POST", "/v1/transfers", List.of("Content-Type: application/json"),
                    transfer(uid, token).toString());
            ANSWERS.add(answer.headers() + answer.body());
            assertThat(answer.status()).isEqualTo(400);
            assertThat(json(answer.body()).get("errors").get(0).get("field").asText()).isEqualTo("accessToken");
        }
        assertThat(driver.actionRequestsOf(uid)).isEmpty();
    }

    /**
     * An Idempotency-Key that is a secret with a control character inside (the JDK server trims the ends), and one
     * sent twice with two values: 400, never quoted.
     */
    private void refusedHeaders() {
        String uid = newUser("hdr");
        String token = plant("at-" + MARK + UUID.randomUUID().toString().replace("-", ""));
        for (List<String> keys : List.of(List.of("Idempotency-Key: k-" + plant(MARK + "\u0001" + UUID.randomUUID())),
                List.of("Idempotency-Key: " + plant(MARK + "-a-" + UUID.randomUUID()),
                        "Idempotency-Key: " + plant(MARK + "-b-" + UUID.randomUUID())))) {
            List<String> headers = new ArrayList<>(keys);
            headers.add("Content-Type: application/json");
            RawHttp.Answer answer = RawHttp.send(api, "POST", "/v1/transfers", headers, transfer(uid, token).toString());
            ANSWERS.add(answer.headers() + answer.body());
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        }
    }

    /**
     * Console executions: the uid's own token secret (odd but valid characters) runs to SUCCEEDED; one ending in a
     * newline fails token-malformed; one naming another user's secret fails invalid-input. Returns the good one's id.
     */
    private String consoleFlows() {
        String uid = newUser("console");
        String token = plant("ct_" + MARK + UUID.randomUUID().toString().replace("-", "") + ".~+/=");
        driver.sandbox().registerUser(uid, token);
        driver.sandbox().setPolicy(uid, UserPolicy.confirmAfter(0));
        String secret = driver.stack().resources().putUserAccessToken(uid, token);
        String good = console(uid, secret, FlowStatus.SUCCEEDED, null);

        String newline = newUser("console-nl");
        String withNewline = plant("nl-" + MARK + UUID.randomUUID().toString().replace("-", "")) + "\n";
        console(newline, driver.stack().resources().putUserAccessToken(newline, withNewline), FlowStatus.FAILED,
                "token-malformed");

        console(newUser("console-other"), secret, FlowStatus.FAILED, "invalid-input");
        assertThat(driver.transfersOf(uid)).hasSize(1);
        return good;
    }

    private String console(String uid, String secretId, FlowStatus expected, String code) {
        ObjectNode input = Json.MAPPER.createObjectNode().put("action", E2eDriver.ACTION).put("uid", uid)
                .put("accessTokenSecretId", secretId);
        input.putObject("payload").put("amount", 12.5).put("bankTransferRecipientId", "recipient-" + uid);
        String flowId = E2eDriver.newFlowId();
        FLOWS.add(flowId);
        String arn = driver.stack().sfn()
                .startExecution(b -> b.stateMachineArn(driver.stack().stateMachineArn()).name(flowId)
                .input(input.toString())).executionArn();
        driver.awaitEnd(arn, MAX_RUN);
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).as("console flow of %s", uid).isEqualTo(expected);
        if (code != null) {
            assertThat(flow.error().code()).isEqualTo(code);
        }
        return flowId;
    }

    /** Every item of the flow table, every attribute unredacted. */
    private static String items() {
        StringBuilder all = new StringBuilder();
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(driver.stack().moto().endpoint())) {
            dynamo.scanPaginator(b -> b.tableName(driver.stack().resources().tableName())).items()
                    .forEach(item -> E2eDriver.dump(item, all));
        }
        return all.toString();
    }

    /** Every event, with its data, of every execution of the state machine. */
    private static String histories() {
        StringBuilder all = new StringBuilder();
        List<ExecutionListItem> executions = driver.stack().sfn()
                .listExecutions(b -> b.stateMachineArn(driver.stack().stateMachineArn()).maxResults(1000)).executions();
        assertThat(executions).hasSizeGreaterThan(5);
        for (ExecutionListItem execution : executions) {
            driver.history(execution.executionArn()).forEach(event -> E2eDriver.dump(event, all));
        }
        return all.toString();
    }

    private static String newUser(String prefix) {
        return driver.newUser(prefix);
    }

    private String flowUid(String flowId) {
        return driver.flow(flowId).uid();
    }

    private static String plant(String secret) {
        PLANTED.add(Objects.requireNonNull(secret));
        return secret;
    }

    private static ObjectNode transfer(String uid, String token) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("uid", uid).put("amount", 10)
                .put("bankTransferRecipientId", "recipient-" + uid);
        return body.put("accessToken", token);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}
