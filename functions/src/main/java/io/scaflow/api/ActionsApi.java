package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.FlowCancels;
import io.scaflow.flow.FlowIds;
import io.scaflow.flow.FlowStarts;
import io.scaflow.input.ActionInput;
import io.scaflow.input.FieldError;
import io.scaflow.input.InvalidInputException;
import io.scaflow.json.Json;
import io.scaflow.log.Log;
import io.scaflow.log.LogContext;
import io.scaflow.core.ActionRegistry;
import io.scaflow.core.Secret;
import io.scaflow.core.Tokens;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.LimitExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API's three operations mapped from HTTP to the flow rules and back: start a flow ({@link FlowStarts}), show
 * it, cancel it ({@link FlowCancels}). Here: the request's fields, the caller's ownership, the problem documents.
 */
final class ActionsApi {

    private static final Log LOG = Log.of(ActionsApi.class);

    private final FlowServices services;
    private final UsageGuard limits;
    private final FlowStarts starts;
    private final FlowCancels cancels;

    ActionsApi(FlowServices services) {
        this.services = services;
        this.limits = new UsageGuard(services.limits(), services.clock());
        this.starts = new FlowStarts(services);
        this.cancels = new FlowCancels(services);
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
        LogContext.flowId(flowId);
        String hash = IdempotencyKey.requestHash(canonical(input));
        Flow flow = Flow.pending(flowId, input.action(), input.uid(), input.payload(), accessToken,
                services.clock().instant()).withRequest(request.caller(), key.orElse(null), hash);
        try {
            return accepted(request, starts.start(flow, limits.countersFor(request.caller(), input), key.isPresent()));
        } catch (LimitExceededException e) {
            throw limits.refused(e);
        } catch (FlowStarts.IdempotencyKeyReusedException e) {
            throw new Problem(409, "idempotency-key-reused", "Idempotency key reused",
                    "this Idempotency-Key was used for another request; use a new key for a new action",
                    List.of(new FieldError(IdempotencyKey.HEADER, "was used for another request")));
        } catch (FlowStarts.ExecutionNotStartedException e) {
            throw new Problem(503, "start-failed", "Flow not started", e.retryable()
                    ? "the workflow could not be started; send the same request with the same Idempotency-Key again"
                    : "the workflow could not be started; nothing was sent to Shine; try again");
        }
    }

    /** {@code GET /v1/actions/{id}}. */
    ApiResponse get(String id, String caller) {
        return ApiResponse.json(200, document(find(id, caller)));
    }

    /** {@code DELETE /v1/actions/{id}}: cancels a flow whose action has not been sent. */
    ApiResponse cancel(String id, String caller) {
        find(id, caller);   // 404 unless the caller's: ownership never changes
        try {
            return ApiResponse.json(200, document(cancels.cancel(id, "cancelled through the API by " + caller)));
        } catch (FlowCancels.NotCancellableException e) {
            FlowStatus status = e.flow().status();
            throw new Problem(409, "not-cancellable", "Not cancellable", "the flow is " + status
                    + (status.isPastExecution() ? ": its action may already have been sent to Shine"
                    : ": it has ended") + "; it can no longer be cancelled");
        }
    }

    /**
     * The flow {@code id}, if {@code caller} owns it: flows started through the API belong to their caller; any
     * other flow is 404, as for an unknown id: another caller's, one started from the console (owned by
     * {@link Flow#CONSOLE_OWNER}, never an API caller) and one stored without an owner.
     */
    private Flow find(String id, String caller) {
        if (!FlowIds.isFlowId(id)) {
            throw Problem.notFound("id", "is not a flow id (" + FlowIds.RULE + ")");
        }
        LogContext.flowId(id);
        return services.store().find(id)
                .filter(flow -> caller != null && caller.equals(flow.owner()))
                .orElseThrow(() -> Problem.notFound("id", "names no flow of yours"));
    }

    /** The Location is the flow's URL as the caller can follow it: its base path (the stage) in front. */
    private ApiResponse accepted(ApiRequest request, Flow flow) {
        return ApiResponse.json(202, document(flow))
                .withHeader("Location", request.basePath() + "/v1/actions/" + flow.flowId());
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
