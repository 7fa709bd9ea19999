package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.flow.FlowIds;
import io.scaflow.flow.FlowReconciliations;
import io.scaflow.flow.FlowServices;
import io.scaflow.input.FieldError;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.Reconciliation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/actions/{id}/reconciliation}: an operator settles an OUTCOME_UNKNOWN flow after checking the
 * account ({@link FlowReconciliations}). A route of its own, so that {@code execute-api:Invoke} on it is granted to
 * operators apart from the fintech's callers; it acts on any flow of the table (an operator's, whoever started it),
 * and records the caller's IAM identity as who. Nothing is sent to Shine.
 */
final class ReconciliationApi {

    static final int MAX_NOTE = 1000;
    private static final Pattern TRANSFER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final Set<String> FIELDS = Set.of("outcome", "shineTransferId", "note");

    private final FlowServices services;
    private final FlowReconciliations reconciliations;

    ReconciliationApi(FlowServices services) {
        this.services = services;
        this.reconciliations = new FlowReconciliations(services);
    }

    ApiResponse reconcile(ApiRequest request) {
        String id = request.pathParameter("id").orElse(null);
        if (!FlowIds.isFlowId(id)) {
            throw Problem.notFound("id", "is not a flow id (" + FlowIds.RULE + ")");
        }
        JsonContentType.require(request);
        ObjectNode body = BodyReader.read(request.body(), services.settings().maxBodyBytes());
        List<FieldError> errors = new ArrayList<>();
        FlowStatus outcome = outcome(body.get("outcome"), errors);
        String note = note(body.get("note"), errors);
        String transferId = transferId(body.get("shineTransferId"), outcome, errors);
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a field of a reconciliation (outcome, shineTransferId, note)"));
            }
        });
        if (!errors.isEmpty()) {
            throw Problem.invalidInput(errors);
        }
        if (services.store().find(id).isEmpty()) {
            throw Problem.notFound("id", "names no flow");
        }
        try {
            Flow flow = reconciliations.reconcile(id, outcome,
                    new Reconciliation(request.callerArn(), request.callerId(), note, transferId));
            return ApiResponse.json(200, FlowDocument.of(flow, services.clock().instant(),
                    services.settings().reminderDelay(), services.settings().maxAttempts()));
        } catch (FlowReconciliations.TooEarlyException e) {
            long wait = Math.max(1, Duration.between(services.clock().instant(), e.acceptedFrom()).toSeconds() + 1);
            throw new Problem(409, "reconciliation-too-early", "Too early to reconcile as FAILED",
                    "the flow's transfer call may still be in flight, and a late answer from Shine would then be lost:"
                            + " FAILED is accepted from " + e.acceptedFrom() + " (SUCCEEDED is accepted now)",
                    List.of(new FieldError("outcome", "FAILED is accepted from " + e.acceptedFrom())))
                    .withRetryAfter(wait);
        } catch (FlowReconciliations.NotReconcilableException e) {
            FlowStatus status = e.flow().status();
            boolean reconciled = FlowReconciliations.lastReconciliation(e.flow()) != null;
            String reason = "names a flow that is " + status + (reconciled
                    ? ", reconciled already with another outcome, note or transfer id"
                    : ", not OUTCOME_UNKNOWN");
            throw new Problem(409, "not-reconcilable", "Not reconcilable", "the flow is " + status
                    + (reconciled ? " by an earlier reconciliation that differs from this one"
                    : ": only an OUTCOME_UNKNOWN flow is reconciled"), List.of(new FieldError("id", reason)));
        }
    }

    private static FlowStatus outcome(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("outcome", "is required: SUCCEEDED or FAILED"));
        } else if (node.isTextual() && (node.asText().equals("SUCCEEDED") || node.asText().equals("FAILED"))) {
            return FlowStatus.valueOf(node.asText());
        } else {
            errors.add(new FieldError("outcome", "must be SUCCEEDED (Shine made the action) or FAILED (it did not)"));
        }
        return null;
    }

    /** Why: 1 to {@link #MAX_NOTE} characters, not only spaces, no control character. */
    private static String note(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("note", "is required: what was checked, and where"));
        } else if (!node.isTextual() || node.asText().isBlank()) {
            errors.add(new FieldError("note", "must be a non-blank string"));
        } else if (node.asText().codePointCount(0, node.asText().length()) > MAX_NOTE) {
            errors.add(new FieldError("note", "must have at most " + MAX_NOTE + " characters"));
        } else if (node.asText().codePoints().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("note", "must hold no control character (no newline, no tab)"));
        } else {
            return node.asText();
        }
        return null;
    }

    private static String transferId(JsonNode node, FlowStatus outcome, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !TRANSFER_ID.matcher(node.asText()).matches()) {
            errors.add(new FieldError("shineTransferId",
                    "must be 1 to 128 letters, digits, '-' or '_', starting with a letter or a digit"));
        } else if (outcome == FlowStatus.FAILED) {
            errors.add(new FieldError("shineTransferId",
                    "is given only with outcome SUCCEEDED: a transfer Shine made is a success"));
        } else {
            return node.asText();
        }
        return null;
    }
}
