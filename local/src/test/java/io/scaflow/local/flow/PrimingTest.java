package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.api.ApiPrimer;
import io.scaflow.config.Env;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.StepPrimer;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.prime.Primer;
import io.scaflow.prime.Priming;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * SnapStart priming of every handler, configured as deployed (credentials from Secrets Manager, TOKEN_KEY_ID, the
 * API's limits and state machine) against moto behind a recording proxy and the Shine sandbox: the priming of all
 * six makes no AWS call at all (so no DynamoDB write, no secret read, no KMS, no execution: the table stays empty),
 * no call reaches the sandbox, and neither the function's nor the priming's log lines hold the client secret or a
 * user's token. After the restore hooks the same services still work, and the proxy and the sandbox do see their
 * calls then: the recordings the assertions rely on are live.
 */
class PrimingTest {

    private static final String CREDENTIALS = "scaflow/priming-test-credentials";

    private FlowHarness harness;
    private RecordingAwsProxy proxy;
    private FlowServices services;
    private Env env;
    private final ByteArrayOutputStream primingLog = new ByteArrayOutputStream();
    private PrintStream previousSink;

    @BeforeEach
    void start() {
        harness = new FlowHarness(Map.of());
        String stateMachine;
        try (SfnClient sfn = LocalAws.sfn(FlowHarness.moto().endpoint())) {
            stateMachine = sfn.createStateMachine(b -> b.name("priming-" + UUID.randomUUID())
                    .definition("{\"StartAt\": \"Done\", \"States\": {\"Done\": {\"Type\": \"Succeed\"}}}")
                    .roleArn("arn:aws:iam::123456789012:role/sfn")).stateMachineArn();
        }
        try (SecretsManagerClient sm = LocalAws.secretsManager(FlowHarness.moto().endpoint())) {
            sm.createSecret(b -> b.name(CREDENTIALS + "-" + harness.table).secretString("{\"clientId\": \""
                    + harness.sandbox.clientId() + "\", \"clientSecret\": \"" + harness.sandbox.clientSecret() + "\"}"));
        }
        proxy = new RecordingAwsProxy(FlowHarness.moto().endpoint());
        Map<String, String> values = new HashMap<>(Map.of("AWS_ENDPOINT_URL", proxy.endpoint().toString(),
                "SHINE_CLIENT_ID", "", "SHINE_CLIENT_SECRET", "",
                "SHINE_CREDENTIALS_SECRET_ID", CREDENTIALS + "-" + harness.table, "STATE_MACHINE_ARN", stateMachine,
                "USER_TOKEN_SECRET_PREFIX", "scaflow/users/", "CALLER_STARTS_PER_MINUTE", "100",
                "USER_STARTS_PER_MINUTE", "10", "USER_AMOUNT_PER_DAY", "1000"));
        env = harness.env.with(values);
        services = FlowServices.create(env, harness.clock);
        previousSink = Priming.logSink(new PrintStream(primingLog, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        Priming.logSink(previousSink);
        Priming.clear();
        proxy.close();
        harness.close();
    }

    @Test
    void primingReachesNeitherAwsNorShineAndShowsNoSecret() {
        for (StepPrimer.Step step : StepPrimer.Step.values()) {
            Priming.register(new StepPrimer(step, services, env));
        }
        Priming.register(new ApiPrimer(services, env));
        assertThat(Priming.registered()).isEqualTo(6);

        Priming.beforeCheckpoint();
        Priming.afterRestore();

        assertThat(proxy.actions()).as("AWS calls made by the priming").isEmpty();
        assertThat(harness.dynamo.scan(b -> b.tableName(harness.table)).count()).as("items in the table").isZero();
        assertThat(harness.sandbox.calls()).as("calls at the Shine sandbox").isEmpty();
        assertThat(services.shineBuilt()).as("the function's Shine client (with its credentials)").isFalse();
        String logs = harness.logs() + primingLog.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("primed").doesNotContain("priming failed")
                .doesNotContain(harness.sandbox.clientSecret());
        assertThat(primingLog.toString(StandardCharsets.UTF_8)).as("the handlers did run while primed")
                .contains("priming-flow");
    }

    @Test
    void afterTheRestoreHooksTheFunctionCallsAwsAndShineAsUsual() throws Exception {
        StepPrimer primer = new StepPrimer(StepPrimer.Step.CREATE, services, env);
        run(primer);

        String flowId = "after-restore-" + UUID.randomUUID();
        new CreateActionRequestHandler(services).handleRequest(new java.io.ByteArrayInputStream(
                io.scaflow.json.Json.MAPPER.writeValueAsBytes(consoleEvent(flowId))), new ByteArrayOutputStream(), null);

        assertThat(proxy.actions()).contains("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
                .anyMatch(action -> action.startsWith("secretsmanager:GetSecretValue"));
        assertThat(harness.sandbox.calls()).isNotEmpty();
        assertThat(services.store().get(flowId).status().name()).isEqualTo("AWAITING_CONFIRMATION");
    }

    private void run(Primer primer) {
        Priming.register(primer);
        Priming.beforeCheckpoint();
        Priming.afterRestore();
    }

    private com.fasterxml.jackson.databind.node.ObjectNode consoleEvent(String flowId) {
        String uid = "uid-" + flowId.substring(flowId.length() - 6);
        try (SecretsManagerClient sm = LocalAws.secretsManager(FlowHarness.moto().endpoint())) {
            sm.createSecret(b -> b.name("scaflow/users/" + uid)
                    .secretString("{\"accessToken\": \"" + harness.sandbox.accessTokenOf(uid) + "\"}"));
        }
        com.fasterxml.jackson.databind.node.ObjectNode event = FlowHarness.event("create-action-request.json", flowId);
        com.fasterxml.jackson.databind.node.ObjectNode input = event.putObject("input")
                .put("action", "bank:transfers:create").put("uid", uid).put("accessTokenSecretId", "scaflow/users/" + uid);
        input.putObject("payload").put("amount", 5).put("bankTransferRecipientId", "r-1").put("uid", uid);
        return event;
    }
}
