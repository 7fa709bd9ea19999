package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.flow.FlowServices;
import io.scaflow.input.ActionInput;
import io.scaflow.input.FieldError;
import io.scaflow.input.InvalidInputException;
import io.scaflow.json.Json;
import io.scaflow.log.Log;
import io.scaflow.shine.ActionRegistry;
import io.scaflow.shine.Secret;
import io.scaflow.shine.Tokens;
import io.scaflow.store.ErrorCode;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowError;
import io.scaflow.store.FlowExistsException;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.LimitExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/** What the API does: start a flow (idempotently), show it, cancel it. */
final class ActionsApi {

    private static final Log LOG = Log.of(ActionsApi.class);
    private static final Pattern FLOW_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final int CANCEL_ATTEMPTS = 3;

    private final FlowServices services;
    private final UsageGuard limits;

    ActionsApi(FlowServices services) {
        this.services = services;
        this.limits = new UsageGuard(services.limits(), services.clock());
    }

    /** {@code POST /v1/actions}, or {@code POST /v1/transfers} when {@code transferShorthand}. */
    ApiResponse start(ApiRequest request, boolean transferShorthand) {
        ObjectNode body = jsonBody(request);
        JsonNode action = transferShorthand ? Json.MAPPER.getNodeFactory().textNode(ActionRegistry.BANK_TRANSFER)
                : body.get("action");
        JsonNode payload = transferShorthand ? transferPayload(body) : body.get("payload");
        List<FieldError> errors = new ArrayList<>();
        ActionInput input = null;
        try {
            input = services.validator().validate(action, body.get("uid"), payload);
        } catch (InvalidInputException e) {
            e.errors().forEach(error -> errors.add(transferShorthand
                    ? new FieldError(error.field().replaceFirst("^payload\\.", ""), error.reason()) : error));
        }
        Secret accessToken = accessToken(body.get("accessToken"), errors);
        if (!errors.isEmpty()) {
            throw Problem.invalidInput(errors);
        }
        Optional<String> key = IdempotencyKey.of(request);
        String flowId = IdempotencyKey.flowId(request.caller(), key);
        String hash = IdempotencyKey.requestHash(canonical(input));
        Flow flow = Flow.pending(flowId, input.action(), input.uid(), input.payload(), accessToken,
                services.clock().instant()).withRequest(request.caller(), key.orElse(null), hash);
        try {
            services.store().create(flow, limits.countersFor(request.caller(), input));
        } catch (LimitExceededException e) {
            throw limits.refused(e);
        } catch (FlowExistsException e) {
            flow = services.store().get(flowId);
            if (!hash.equals(flow.requestHash())) {
                throw new Problem(409, "idempotency-key-reused", "Idempotency key reused",
                        "this Idempotency-Key was used for another request; use a new key for a new action",
                        List.of(new FieldError(IdempotencyKey.HEADER, "was used for another request")));
            }
            if (flow.status() != FlowStatus.PENDING) {
                return accepted(flow);
            }
            // its execution never started (or is starting): restart it with this request's access token
            try {
                flow = services.store().change(flowId, FlowStatus.PENDING,
                        FlowChange.keepStatus().accessToken(accessToken));
            } catch (FlowConflictException moved) {
                return accepted(services.store().get(flowId));   // it started meanwhile
            }
        }
        startExecution(flow, key.isPresent());
        return accepted(services.store().get(flowId));
    }

    /** {@code GET /v1/actions/{id}}. */
    ApiResponse get(String id, String caller) {
        return ApiResponse.json(200, document(find(id, caller)));
    }

    /** {@code DELETE /v1/actions/{id}}: cancels a flow whose action has not been sent. */
    ApiResponse cancel(String id, String caller) {
        for (int attempt = 1; ; attempt++) {
            Flow flow = find(id, caller);
            if (!cancellable(flow)) {
                throw new Problem(409, "not-cancellable", "Not cancellable", "the flow is " + flow.status()
                        + (flow.status().isPastExecution() ? ": its action may already have been sent to Shine"
                        : ": it has ended") + "; it can no longer be cancelled");
            }
            try {
                Flow cancelled = services.store().change(id, flow.status(),
                        FlowChange.to(FlowStatus.CANCELLED, "cancelled through the API"));
                services.executions().stop(id, "cancelled through the API");
                LOG.info("flow cancelled", "flowId", id, "from", flow.status());
                return ApiResponse.json(200, document(cancelled));
            } catch (FlowConflictException e) {
                if (attempt == CANCEL_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void startExecution(Flow flow, boolean retryable) {
        try {
            services.executions().start(flow.flowId());
        } catch (SdkException e) {
            LOG.error("execution could not start", "flowId", flow.flowId(), "error", e.getClass().getSimpleName());
            try {
                // Without a key the flow is given up; with one it waits for the retry, which brings the access
                // token again: it is not kept meanwhile.
                services.store().change(flow.flowId(), FlowStatus.PENDING, retryable
                        ? FlowChange.keepStatus().forgetSecrets()
                        : FlowChange.to(FlowStatus.FAILED, "the execution could not start")
                                .error(FlowError.of(ErrorCode.START_FAILED)));
            } catch (FlowConflictException ignored) {
                // someone else moved it: nothing to clean up
            }
            throw new Problem(503, "start-failed", "Flow not started", retryable
                    ? "the workflow could not be started; send the same request with the same Idempotency-Key again"
                    : "the workflow could not be started; nothing was sent to Shine; try again");
        }
    }

    /** Not ended and not yet sent to Shine. */
    private boolean cancellable(Flow flow) {
        return !flow.hasEnded(services.settings().maxAttempts()) && !flow.status().isPastExecution();
    }

    /**
     * The flow {@code id}, if {@code caller} owns it: flows started through the API belong to their caller; any
     * other flow is 404, as for an unknown id: another caller's, one started from the console (owned by
     * {@link Flow#CONSOLE_OWNER}, never an API caller) and one stored without an owner.
     */
    private Flow find(String id, String caller) {
        if (id == null || !FLOW_ID.matcher(id).matches()) {
            throw Problem.notFound("id", "is not a flow id (1 to 80 letters, digits, '-' or '_')");
        }
        return services.store().find(id)
                .filter(flow -> caller != null && caller.equals(flow.owner()))
                .orElseThrow(() -> Problem.notFound("id", "names no flow of yours"));
    }

    private ApiResponse accepted(Flow flow) {
        return ApiResponse.json(202, document(flow)).withHeader("Location", "/v1/actions/" + flow.flowId());
    }

    private ObjectNode document(Flow flow) {
        return FlowDocument.of(flow, services.clock().instant(), services.settings().reminderDelay(),
                services.settings().maxAttempts());
    }

    private ObjectNode jsonBody(ApiRequest request) {
        JsonContentType.require(request);
        return BodyReader.read(request.body(), services.settings().maxBodyBytes());
    }

    private static JsonNode transferPayload(ObjectNode body) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        copy(body, payload, "amount");
        copy(body, payload, "bankTransferRecipientId");
        copy(body, payload, "uid");
        return payload;
    }

    private static void copy(ObjectNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field));
        }
    }

    /** The user's access token, which goes into a header as sent: an RFC 6750 bearer token, never quoted back. */
    private static Secret accessToken(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("accessToken", "is required: the user's Shine access token"));
        } else if (!node.isTextual() || node.asText().isEmpty()) {
            errors.add(new FieldError("accessToken", "must be a non-empty string"));
        } else if (!Tokens.isBearerToken(node.asText())) {
            errors.add(new FieldError("accessToken", "must be " + Tokens.BEARER_RULE));
        } else {
            return Secret.of(node.asText());
        }
        return null;
    }

    /**
     * What makes two requests the same action: action, uid and payload, with fields in any order and numbers
     * compared by value ({@code 12.3} = {@code 12.30}). The access token is left out: a retry may carry a
     * refreshed one.
     */
    private static String canonical(ActionInput input) {
        ObjectNode canonical = Json.MAPPER.createObjectNode()
                .put("action", input.action())
                .put("uid", input.uid());
        canonical.set("payload", byValue(input.payload()));
        return canonical.toString();
    }

    private static JsonNode byValue(JsonNode node) {
        if (node.isNumber()) {
            return Json.MAPPER.getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
        }
        if (node.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            java.util.SortedSet<String> names = new java.util.TreeSet<>();
            node.fieldNames().forEachRemaining(names::add);
            names.forEach(name -> copy.set(name, byValue(node.get(name))));
            return copy;
        }
        return node;
    }
}
