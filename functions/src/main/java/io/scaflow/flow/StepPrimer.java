package io.scaflow.flow;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.scaflow.aws.AwsClients;
import io.scaflow.config.Env;
import io.scaflow.json.Json;
import io.scaflow.prime.Primer;
import io.scaflow.prime.Priming;
import io.scaflow.prime.TlsPriming;
import io.scaflow.store.FlowStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.function.Function;

/**
 * SnapStart priming of a step handler: a copy of the handler on {@link PrimingServices} runs one invocation of its
 * usual kind (the flow in the status the step expects, the event the state machine sends), so that the SDK's
 * marshalling of the calls it makes, the store's item mapping, Jackson on the event and the result, and the Shine
 * client's request and answer code are loaded and run before the snapshot; nothing leaves the process. The
 * function's own clients that need no I/O (its Secrets Manager client) are built too. After a restore the
 * function's Shine client (with its client credentials) and AWS credentials are dropped, to be made again on first
 * use.
 */
public final class StepPrimer implements Primer {

    /** One step: the flow's status before it, its event, and how to build the handler on other services. */
    public enum Step {
        CREATE(FlowStatus.PENDING, true, CreateActionRequestHandler::new),
        POLL(FlowStatus.AWAITING_CONFIRMATION, true, PollActionRequestHandler::new),
        EXECUTE(FlowStatus.CONFIRMED, true, ExecuteActionHandler::new),
        RECORD_FAILURE(FlowStatus.AWAITING_CONFIRMATION, false, RecordFailureHandler::new),
        EXECUTION_ENDED(FlowStatus.AWAITING_CONFIRMATION, false, ExecutionEndedHandler::new);

        final FlowStatus before;
        /** The step reads secrets and handles tokens (its function has the Secrets Manager and KMS clients). */
        final boolean readsSecrets;
        final Function<FlowServices, RequestStreamHandler> handler;

        Step(FlowStatus before, boolean readsSecrets, Function<FlowServices, RequestStreamHandler> handler) {
            this.before = before;
            this.readsSecrets = readsSecrets;
            this.handler = handler;
        }

        String event(String flowId) {
            return switch (this) {
                case POLL -> "{\"flowId\": \"" + flowId + "\", \"pollCount\": 1, \"followedSince\": \""
                        + Instant.now() + "\"}";
                case RECORD_FAILURE -> "{\"flowId\": \"" + flowId + "\", \"error\": {\"Error\": "
                        + "\"io.scaflow.shine.ShineUnavailableException\", \"Cause\": \"priming\"}}";
                case EXECUTION_ENDED -> "{\"detail-type\": \"Step Functions Execution Status Change\", \"source\": "
                        + "\"aws.states\", \"detail\": {\"name\": \"" + flowId + "\", \"status\": \"ABORTED\"}}";
                default -> "{\"flowId\": \"" + flowId + "\"}";
            };
        }
    }

    private final Step step;
    private final FlowServices live;
    private final Env env;
    private volatile PrimingServices lastRun;
    private volatile com.fasterxml.jackson.databind.JsonNode lastResult;

    public StepPrimer(Step step, FlowServices live, Env env) {
        this.step = step;
        this.live = live;
        this.env = env;
    }

    /**
     * Registers the primer of the handler the Lambda runtime builds on {@code services} (its no-argument
     * constructor), so that the snapshot is primed and, after a restore, those very services are refreshed.
     */
    static FlowServices registered(Step step, FlowServices services) {
        Priming.register(new StepPrimer(step, services, Env.system()));
        return services;
    }

    @Override
    public void prime() throws Exception {
        try (PrimingServices priming = PrimingServices.like(live, env, step.readsSecrets)) {
            lastRun = priming;
            priming.seed(step.before);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            step.handler.apply(priming.services()).handleRequest(new ByteArrayInputStream(
                    step.event(PrimingServices.FLOW_ID).getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, null);
            lastResult = Json.MAPPER.readTree(out.toByteArray());
        }
        if (step.readsSecrets) {
            live.secrets();   // the client only: no secret is read
        }
        TlsPriming.prime();
    }

    @Override
    public void refresh() {
        live.afterRestore();
        AwsClients.refreshCredentials();
    }

    /** The primed invocation's result (tests; a step result holds ids, statuses and numbers only). */
    public com.fasterxml.jackson.databind.JsonNode lastResult() {
        return lastResult;
    }

    /** The in-memory services of the last priming (tests: what it called). */
    public PrimingServices lastRun() {
        return lastRun;
    }
}
