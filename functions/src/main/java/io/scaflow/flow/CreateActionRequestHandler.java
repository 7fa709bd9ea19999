package io.scaflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.input.ActionInput;
import io.scaflow.input.InvalidInputException;
import io.scaflow.log.Log;
import io.scaflow.shine.ActionRequest;
import io.scaflow.shine.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowError;
import io.scaflow.store.FlowExistsException;
import io.scaflow.store.FlowStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * Step 1: creates the action request at Shine and moves the flow to AWAITING_CONFIRMATION. Runs for a new flow
 * (PENDING) and again for an EXPIRED one while attempts remain. A flow started from the console (no item yet) is
 * recorded first from the execution input; its access token comes from the Secrets Manager secret the input names.
 */
public final class CreateActionRequestHandler extends StepHandler {

    private static final Log LOG = Log.of(CreateActionRequestHandler.class);

    public CreateActionRequestHandler() {
        this(FlowServices.fromEnvironment());
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
        int attempt = flow.attempt() + 1;
        Flow recorded = flow;
        ActionRequest request = RateLimits.callOnceMore(
                () -> services.shine().createActionRequest(recorded.action(), recorded.uid(), recorded.payload()),
                wait -> true, flowId);
        Instant now = services.clock().instant();
        try {
            flow = services.store().change(flowId, flow.status(),
                    FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "action request " + attempt + " created")
                            .actionRequest(request.id(), attempt, now, request.expiresAt()));
        } catch (FlowConflictException e) {
            LOG.warn("flow changed while its action request was created", "flowId", flowId, "status", e.actual(),
                    "actionRequestId", request.id());
            flow = services.store().get(flowId);
        }
        LOG.info("action request created", "flowId", flowId, "actionRequestId", request.id(), "attempt", attempt,
                "expiresAt", request.expiresAt());
        return StepResult.of(flow, settings.pollInterval().toSeconds(), 0, settings);
    }

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
            JsonNode secretId = input.get("accessTokenSecretId");
            if (secretId == null || !secretId.isTextual() || secretId.asText().isBlank()) {
                throw new InvalidInputException("accessTokenSecretId", "is required: the Secrets Manager secret holding the user's access token");
            }
            accessToken = services.secrets().field(secretId.asText(), "accessToken");
        } catch (InvalidInputException e) {
            recordRefusedInput(flowId, input, e, now);
            throw e;
        }
        Flow flow = Flow.pending(flowId, checked.action(), checked.uid(), checked.payload(), accessToken, now);
        try {
            services.store().create(flow);
            return flow;
        } catch (FlowExistsException e) {
            return services.store().get(flowId);
        }
    }

    /** A bad execution input still leaves a FAILED flow that says what was wrong. */
    private void recordRefusedInput(String flowId, JsonNode input, InvalidInputException error, Instant now) {
        Flow refused = Flow.recorded(flowId, text(input, "action"), text(input, "uid"), null, Optional.empty(), now);
        try {
            services.store().create(refused);
            services.store().change(flowId, FlowStatus.PENDING, FlowChange.to(FlowStatus.FAILED, "invalid input")
                    .error(new FlowError(InvalidInputException.class.getName(), error.getMessage())));
        } catch (FlowExistsException | FlowConflictException e) {
            LOG.warn("refused input not recorded: the flow exists", "flowId", flowId);
        }
    }

    private static String text(JsonNode input, String field) {
        JsonNode node = input.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
