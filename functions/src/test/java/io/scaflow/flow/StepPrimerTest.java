package io.scaflow.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.aws.FakeSecretsManager;
import io.scaflow.aws.SecretReader;
import io.scaflow.config.Env;
import io.scaflow.prime.Priming;
import io.scaflow.shine.ShineConfig;
import io.scaflow.store.Flows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SnapStart priming of the step handlers runs each step's whole first-invocation path in memory and touches nothing
 * of the function's own: its store, Shine client and Secrets Manager are never called, no credential is read, and
 * the secret of its configuration never shows in what priming logs.
 */
@Tag("integration")   // the priming's loopback server
class StepPrimerTest {

    private static final String CLIENT_SECRET = "live-client-secret-never-primed";
    private static final Env ENV = new Env(Map.of("AWS_REGION", "eu-west-3",
            "AWS_ENDPOINT_URL", "http://127.0.0.1:9", "SHINE_CLIENT_ID", "live-client",
            "SHINE_CLIENT_SECRET", CLIENT_SECRET, "TABLE_NAME", "live-flows"));

    private final List<String> liveStoreCalls = new ArrayList<>();
    private final FakeSecretsManager liveSecrets = new FakeSecretsManager();
    private final List<String> liveShineBuilds = new ArrayList<>();
    private final ByteArrayOutputStream primingLog = new ByteArrayOutputStream();
    private final PrintStream previousSink = Priming.logSink(new PrintStream(primingLog, true, StandardCharsets.UTF_8));

    private final FlowServices live = new FlowServices(FlowSettings.fromEnv(ENV), ShineConfig.actionsFromEnv(ENV),
            (Flows) Proxy.newProxyInstance(Flows.class.getClassLoader(), new Class<?>[] {Flows.class},
                    (proxy, method, args) -> {
                        liveStoreCalls.add(method.getName());
                        throw new AssertionError("priming used the function's store: " + method.getName());
                    }),
            () -> new SecretReader(liveSecrets),
            () -> {
                liveShineBuilds.add("built");
                throw new AssertionError("priming built the function's Shine client");
            },
            () -> {
                throw new AssertionError("a step starts no execution");
            }, Clock.systemUTC());

    @AfterEach
    void restoreSink() {
        Priming.logSink(previousSink);
        Priming.clear();
    }

    @ParameterizedTest
    @EnumSource(StepPrimer.Step.class)
    void eachStepIsPrimedInMemoryOnly(StepPrimer.Step step) throws Exception {
        StepPrimer primer = new StepPrimer(step, live, ENV);
        Priming.register(primer);

        Priming.beforeCheckpoint();

        PrimingServices run = primer.lastRun();
        assertThat(run).as("the primer ran").isNotNull();
        assertThat(run.awsOperations()).contains("DynamoDB_20120810.PutItem", "DynamoDB_20120810.GetItem",
                "DynamoDB_20120810.UpdateItem");
        assertThat(liveStoreCalls).isEmpty();
        assertThat(liveShineBuilds).isEmpty();
        assertThat(live.shineBuilt()).isFalse();
        assertThat(liveSecrets.reads()).as("no secret of the function is read").isEmpty();
        assertThat(primingLog.toString(StandardCharsets.UTF_8)).doesNotContain(CLIENT_SECRET)
                .doesNotContain("priming-access-token").doesNotContain("priming-short-lived-token");
        switch (step) {
            case CREATE -> {
                assertThat(run.shineRequests()).containsExactly("POST /v2/authentication/oauth2/action_request");
                assertThat(run.awsOperations()).contains("secretsmanager.GetSecretValue");
            }
            case POLL -> {
                assertThat(run.shineRequests()).containsExactly(
                        "GET /v2/authentication/oauth2/action_request/priming-action-request/poll");
                assertThat(run.awsOperations()).contains("TrentService.Encrypt");
            }
            case EXECUTE -> {
                assertThat(run.shineRequests()).containsExactly("POST /v3/bank/transfers");
                assertThat(run.awsOperations()).contains("TrentService.Decrypt");
            }
            default -> assertThat(run.shineRequests()).isEmpty();
        }
    }

    @Test
    void theStepHandlersResultIsTheOneOfARealInvocation() throws Exception {
        StepPrimer primer = new StepPrimer(StepPrimer.Step.EXECUTE, live, ENV);
        primer.prime();

        assertThat(primer.lastResult().path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aRestoreDropsTheShineClientBuiltBeforeIt() {
        FlowServices services = new FlowServices(FlowSettings.fromEnv(ENV), ShineConfig.actionsFromEnv(ENV),
                live.store(), () -> new SecretReader(liveSecrets), () -> new io.scaflow.shine.FakeShine(Clock.systemUTC()),
                () -> null, Clock.systemUTC());
        services.shine();
        assertThat(services.shineBuilt()).isTrue();

        new StepPrimer(StepPrimer.Step.POLL, services, ENV).refresh();

        assertThat(services.shineBuilt()).isFalse();
    }
}
