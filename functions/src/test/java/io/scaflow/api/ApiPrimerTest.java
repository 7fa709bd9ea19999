package io.scaflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.config.Env;
import io.scaflow.flow.FlowExecutions;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.FlowSettings;
import io.scaflow.flow.UsageLimits;
import io.scaflow.shine.ShineConfig;
import io.scaflow.store.Flows;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The API's priming starts, reads and cancels a flow in memory, usage counters and KMS included, and calls nothing
 * of the function's own: not its store, not its Step Functions client (which it builds), never Shine or a secret.
 */
@Tag("integration")   // the priming's loopback server
class ApiPrimerTest {

    private static final Env ENV = new Env(Map.of("AWS_REGION", "eu-west-3", "AWS_ENDPOINT_URL", "http://127.0.0.1:9",
            "CALLER_STARTS_PER_MINUTE", "100", "USER_STARTS_PER_MINUTE", "10", "USER_AMOUNT_PER_DAY", "1000"));

    private final List<String> liveStoreCalls = new ArrayList<>();
    private final FakeStepFunctions liveSfn = new FakeStepFunctions();
    private final List<String> liveExecutionsBuilt = new ArrayList<>();

    private final FlowServices live = new FlowServices(FlowSettings.fromEnv(ENV), ShineConfig.actionsFromEnv(ENV),
            (Flows) Proxy.newProxyInstance(Flows.class.getClassLoader(), new Class<?>[] {Flows.class},
                    (proxy, method, args) -> {
                        liveStoreCalls.add(method.getName());
                        throw new AssertionError("priming used the function's store");
                    }),
            () -> {
                throw new AssertionError("the API reads no secret");
            },
            () -> {
                throw new AssertionError("the API never calls Shine");
            },
            () -> {
                liveExecutionsBuilt.add("built");
                return new FlowExecutions(liveSfn, "arn:aws:states:eu-west-3:123456789012:stateMachine:live");
            }, Clock.systemUTC(), UsageLimits.fromEnv(ENV));

    @Test
    void theApiIsPrimedInMemoryOnly() throws Exception {
        ApiPrimer primer = new ApiPrimer(live, ENV);

        primer.prime();

        assertThat(primer.lastRun().awsOperations()).contains("DynamoDB_20120810.PutItem",
                "DynamoDB_20120810.UpdateItem", "DynamoDB_20120810.GetItem", "TrentService.Encrypt",
                "AWSStepFunctions.StartExecution", "AWSStepFunctions.StopExecution");
        assertThat(primer.lastRun().shineRequests()).isEmpty();
        assertThat(primer.lastFlowId()).as("the start answered the flow's id").isNotBlank();
        assertThat(primer.lastCancelStatus()).as("the primed flow was found and cancelled").isEqualTo(200);
        assertThat(liveStoreCalls).isEmpty();
        assertThat(liveExecutionsBuilt).as("the function's Step Functions client is built for the snapshot")
                .hasSize(1);
        assertThat(liveSfn.started()).isEmpty();
        assertThat(liveSfn.stopped()).isEmpty();
    }
}
