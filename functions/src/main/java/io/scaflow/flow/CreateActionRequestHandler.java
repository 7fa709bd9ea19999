package io.scaflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.aws.SecretReader;
import io.scaflow.input.ActionInput;
import io.scaflow.input.InvalidInputException;
import io.scaflow.log.Log;
import io.scaflow.shine.ActionRequest;
import io.scaflow.core.MalformedTokenException;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowError;
import io.scaflow.store.FlowExistsException;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.KnownActionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Step 1: creates the action request at Shine and moves the flow to AWAITING_CONFIRMATION. Runs for a new flow
 * (PENDING) and again for an EXPIRED one while attempts remain. A create with no answer within the request timeout
 * is made once more while the first is still awaited ({@link HedgedCreate}); every answer received is kept on the
 * flow, as is the answer of a duplicate invocation. A flow started from the console (no item yet) is
 * recorded first from the execution input; its access token comes from its uid's Secrets Manager secret, which the
 * input names.
 */
public final class CreateActionRequestHandler extends StepHandler {

    private static final Log LOG = Log.of(CreateActionRequestHandler.class);
    /**
     * How long the create step waits for Shine's answers: within the function's 25 s timeout, with room for the
     * flow writes. The first call waits this long too, instead of the usual request timeout.
     */
    static final Duration ANSWER_BUDGET = Duration.ofSeconds(18);

    public CreateActionRequestHandler() {
        this(StepPrimer.registered(StepPrimer.Step.CREATE, FlowServices.fromEnvironment()));   // SnapStart: io.scaflow.prime
    }

    public CreateActionRequestHandler(FlowServices services) {
        super(services);
    }

    @Override
    protected StepResult handle(String flowId, JsonNode event) {
        Flow flow = services.store().find(flowId).orElseGet(() -> recordFromExecutionInput(flowId, event.get("input")));
        FlowSettings settings = services.settings();
        boolean due = flow.status() == FlowStatus.PENDING || flow.canRenew(settings.maxAttempts());
        if (!due) {
            LOG.info("no action request to create", "flowId", flowId, "status", flow.status());
            return StepResult.of(flow, settings.pollInterval().toSeconds(), 0, settings);
        }
        Recorder recorder = new Recorder(flow);
        HedgedCreate creates = new HedgedCreate(services.shine().requestTimeout(), ANSWER_BUDGET);
        Flow seen = flow;
        RateLimits.callOnceMore(() -> creates.run(
                        timeout -> services.shine().createActionRequest(seen.action(), seen.uid(), seen.payload(), timeout),
                        flowId, recorder::record),
                wait -> creates.remaining().minus(wait).compareTo(services.shine().requestTimeout()) > 0, flowId);
        return StepResult.of(recorder.flow, settings.pollInterval().toSeconds(), 0, settings);
    }

    /**
     * Writes each answer as it arrives: the first one opens the attempt (PENDING or EXPIRED to
     * AWAITING_CONFIRMATION, while the flow is still on the attempt this invocation saw); any other, or the first
     * one when another invocation moved the flow meanwhile, is added to the flow's action requests whatever its
     * status, so that a confirmation of it is found by the polls.
     */
    private final class Recorder {
        private final FlowStatus seenStatus;
        private final int seenAttempt;
        private final int attempt;
        private Flow flow;
        private boolean opened;

        Recorder(Flow seen) {
            this.seenStatus = seen.status();
            this.seenAttempt = seen.attempt();
            this.attempt = seen.attempt() + 1;
            this.flow = seen;
        }

        void record(ActionRequest request) {
            String flowId = flow.flowId();
            if (!opened) {
                opened = true;
                try {
                    flow = services.store().change(flowId, seenStatus,
                            FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "action request " + attempt + " created")
                                    .actionRequest(request.id(), attempt, services.clock().instant(), request.expiresAt())
                                    .whileAttempt(seenAttempt));
                    LOG.info("action request created", "flowId", flowId, "actionRequestId", request.id(),
                            "attempt", attempt, "expiresAt", request.expiresAt());
                    return;
                } catch (FlowConflictException e) {
                    LOG.warn("flow changed while its action request was created; the request is kept beside the others",
                            "flowId", flowId, "status", e.actual(), "actionRequestId", request.id());
                }
            }
            flow = services.store().record(flowId, KnownActionRequest.received(request.id(), attempt, request.expiresAt()));
            LOG.info("action request recorded beside the flow's current one", "flowId", flowId,
                    "actionRequestId", request.id(), "attempt", attempt, "expiresAt", request.expiresAt(),
                    "status", flow.status());
        }
    }

    /**
     * A console execution: the flow is recorded from the execution input, owned by {@link Flow#CONSOLE_OWNER} (no
     * API caller is ever that owner, so the API does not show it). Its access token is read from the secret of its
     * own uid, {@code USER_TOKEN_SECRET_PREFIX} + uid, exactly: any other secret id is refused, so an execution
     * cannot pair one user's token with another uid; without the prefix configured, console executions are
     * refused. An input refused, or a token that cannot be sent, still leaves a FAILED flow saying why.
     */
    private Flow recordFromExecutionInput(String flowId, JsonNode input) {
        Instant now = services.clock().instant();
        if (input == null || !input.isObject()) {
            throw new InvalidInputException("input", "flow " + flowId + " is not recorded and the execution input is not an object");
        }
        ActionInput checked;
        Secret accessToken;
        try {
            if (input.has("accessToken")) {
                throw new InvalidInputException("accessToken", "must not be in an execution input (it would stay in the "
                        + "execution history); store it in Secrets Manager and give accessTokenSecretId");
            }
            checked = services.validator().validate(input.get("action"), input.get("uid"), input.get("payload"));
            String secretName = tokenSecretOf(checked.uid(), input.get("accessTokenSecretId"));
            try {
                accessToken = services.secrets().accessToken(secretName, "accessToken");
            } catch (SecretReader.MissingSecretException e) {
                throw new InvalidInputException("accessTokenSecretId", e.getMessage());
            }
        } catch (InvalidInputException | MalformedTokenException e) {
            recordRefusedInput(flowId, input, e, now);
            throw e;
        }
        Flow flow = Flow.pending(flowId, checked.action(), checked.uid(), checked.payload(), accessToken, now)
                .withRequest(Flow.CONSOLE_OWNER, null, null);
        try {
            services.store().create(flow);
            return flow;
        } catch (FlowExistsException e) {
            return services.store().get(flowId);
        }
    }

    /** The only secret a console execution for {@code uid} may name: the prefix and the uid. */
    private String tokenSecretOf(String uid, JsonNode given) {
        if (given == null || !given.isTextual() || given.asText().isBlank()) {
            throw new InvalidInputException("accessTokenSecretId", "is required: the Secrets Manager secret holding the user's access token");
        }
        String prefix = services.settings().userTokenSecretPrefix().orElseThrow(() -> new InvalidInputException(
                "accessTokenSecretId", "console executions are refused: USER_TOKEN_SECRET_PREFIX is not set (the "
                        + "template sets it from UserTokenSecretPrefix)"));
        String expected = prefix + uid;
        if (!given.asText().equals(expected)) {
            throw new InvalidInputException("accessTokenSecretId", "must be " + expected + " (UserTokenSecretPrefix "
                    + "then the uid, by name): a console execution runs with its own uid's token only");
        }
        return expected;
    }

    /** A refused execution input still leaves a FAILED flow that says what was wrong. */
    private void recordRefusedInput(String flowId, JsonNode input, RuntimeException error, Instant now) {
        Flow refused = Flow.recorded(flowId, text(input, "action"), text(input, "uid"), null, Optional.empty(), now)
                .withRequest(Flow.CONSOLE_OWNER, null, null);
        try {
            services.store().create(refused);
            FlowError refusal = FlowError.of(error);
            services.store().change(flowId, FlowStatus.PENDING,
                    FlowChange.to(FlowStatus.FAILED, "input refused: " + refusal.code()).error(refusal));
        } catch (FlowExistsException | FlowConflictException e) {
            LOG.warn("refused input not recorded: the flow exists", "flowId", flowId);
        }
    }

    private static String text(JsonNode input, String field) {
        JsonNode node = input.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
