package io.scaflow.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.core.ActionRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks what scaflow is asked to run before anything reaches Shine: a configured action, a well-formed uid, a
 * payload object of bounded size, and for a bank transfer a positive amount with at most two decimals under the
 * configured maximum, a recipient id, and a payload uid equal to the flow's uid (filled in when absent). Actions
 * added by configuration get the same amount and uid rules for a top-level {@code amount} or {@code uid}.
 */
public final class ActionInputValidator {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final int MAX_NUMBER_DIGITS = 100;
    /** A payload's largest size written as JSON (stored in the flow item, which DynamoDB caps at 400 KB). */
    static final int MAX_PAYLOAD_CHARS = 32 * 1024;

    private final ActionRegistry actions;
    private final BigDecimal maxAmount;

    public ActionInputValidator(ActionRegistry actions, BigDecimal maxAmount) {
        this.actions = actions;
        this.maxAmount = maxAmount;
    }

    /** Returns the checked input or throws {@link InvalidInputException} naming every bad field. */
    public ActionInput validate(JsonNode action, JsonNode uid, JsonNode payload) {
        List<FieldError> errors = new ArrayList<>();
        String actionName = text(action);
        if (actionName == null) {
            errors.add(new FieldError("action", "is required"));
        } else if (!actions.supports(actionName)) {
            // the name sent is not quoted back: known ones are listed
            errors.add(new FieldError("action", "is not a known action; known: " + String.join(", ", actions.actions())));
        }
        String uidText = text(uid);
        if (uid != null && !uid.isNull() && !uid.isTextual()) {
            errors.add(new FieldError("uid", "must be a string"));
        } else if (uidText == null) {
            errors.add(new FieldError("uid", "is required"));
        } else if (!ID.matcher(uidText).matches()) {
            errors.add(new FieldError("uid", "must be 1 to 128 letters, digits, '-' or '_'"));
        }
        ObjectNode checkedPayload = null;
        if (payload == null || payload.isNull() || payload.isMissingNode()) {
            errors.add(new FieldError("payload", "is required"));
        } else if (!payload.isObject()) {
            errors.add(new FieldError("payload", "must be a JSON object"));
        } else if (payload.toString().length() > MAX_PAYLOAD_CHARS) {
            errors.add(new FieldError("payload", "must be at most " + MAX_PAYLOAD_CHARS + " characters written as JSON"));
        } else {
            checkedPayload = ((ObjectNode) payload).deepCopy();
            if (ActionRegistry.BANK_TRANSFER.equals(actionName)) {
                checkTransfer(checkedPayload, uidText, errors);
            } else {
                checkOtherAction(checkedPayload, uidText, errors);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ActionInput(actionName, uidText, checkedPayload);
    }

    private static final java.util.Set<String> TRANSFER_FIELDS = java.util.Set.of("amount", "bankTransferRecipientId", "uid");

    private void checkTransfer(ObjectNode payload, String uid, List<FieldError> errors) {
        payload.fieldNames().forEachRemaining(field -> {
            if (!TRANSFER_FIELDS.contains(field)) {
                errors.add(new FieldError("payload." + shorten(field), "is not a field of a bank transfer (amount, "
                        + "bankTransferRecipientId, uid): nothing else is sent to Shine"));
            }
        });
        JsonNode amount = payload.get("amount");
        if (amount == null || amount.isNull()) {
            errors.add(new FieldError("payload.amount", "is required"));
        } else {
            checkAmount(amount, errors);
        }
        JsonNode recipientNode = payload.get("bankTransferRecipientId");
        String recipient = text(recipientNode);
        if (recipientNode != null && !recipientNode.isNull() && !recipientNode.isTextual()) {
            errors.add(new FieldError("payload.bankTransferRecipientId", "must be a string"));
        } else if (recipient == null) {
            errors.add(new FieldError("payload.bankTransferRecipientId", "is required"));
        } else if (!ID.matcher(recipient).matches()) {
            errors.add(new FieldError("payload.bankTransferRecipientId", "must be 1 to 128 letters, digits, '-' or '_'"));
        }
        JsonNode payloadUid = payload.get("uid");
        if (payloadUid == null || payloadUid.isNull()) {
            if (uid != null) {
                payload.put("uid", uid);
            }
        } else {
            checkPayloadUid(payloadUid, uid, errors);
        }
    }

    /**
     * An action added by {@code SHINE_ACTIONS}: Shine's documentation does not give its payload, so it gets what
     * every payload gets (an object of at most {@link #MAX_PAYLOAD_CHARS} characters, numbers of at most
     * {@link #MAX_NUMBER_DIGITS} digits), and a top-level {@code amount} or {@code uid} is held to a transfer's
     * rules: the amount a positive JSON number of at most two decimals under {@code MAX_AMOUNT}, the uid the flow's.
     */
    private void checkOtherAction(ObjectNode payload, String uid, List<FieldError> errors) {
        checkNumbers(payload, "payload", errors);
        JsonNode amount = payload.get("amount");
        if (amount != null && errors.stream().noneMatch(e -> e.field().equals("payload.amount"))) {
            checkAmount(amount, errors);
        }
        JsonNode payloadUid = payload.get("uid");
        if (payloadUid != null) {
            checkPayloadUid(payloadUid, uid, errors);
        }
    }

    /** A transfer amount, or the {@code amount} of another action: as documented in docs/api.md. */
    private void checkAmount(JsonNode amount, List<FieldError> errors) {
        if (!amount.isNumber()) {
            errors.add(new FieldError("payload.amount", "must be a JSON number, e.g. 234.50"));
            return;
        }
        BigDecimal value = amount.decimalValue();
        if (value.signum() <= 0) {
            errors.add(new FieldError("payload.amount", "must be greater than 0"));
        } else if (value.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError("payload.amount", "must have at most two decimals"));
        } else if (value.compareTo(maxAmount) > 0) {
            errors.add(new FieldError("payload.amount", "must not exceed " + maxAmount.toPlainString()));
        }
    }

    private static void checkPayloadUid(JsonNode payloadUid, String uid, List<FieldError> errors) {
        if (uid != null && !(payloadUid.isTextual() && uid.equals(payloadUid.asText()))) {
            errors.add(new FieldError("payload.uid", "must equal uid"));
        }
    }

    /**
     * Every number of another action's payload must be writable in full, as the payload is stored and sent (no
     * exponent), in at most {@link #MAX_NUMBER_DIGITS} digits: {@code 1e999999} is one digit to parse and a million
     * to write. (A transfer's only number, its amount, has its own tighter rules.)
     */
    private static void checkNumbers(JsonNode node, String path, List<FieldError> errors) {
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue();
            long digits = (long) Math.max(value.precision() - value.scale(), 1) + Math.max(value.scale(), 0);
            if (digits > MAX_NUMBER_DIGITS) {
                errors.add(new FieldError(path, "must be a number of at most " + MAX_NUMBER_DIGITS
                        + " digits written out in full"));
            }
        } else if (node.isObject()) {
            node.properties().forEach(field -> checkNumbers(field.getValue(), path + "." + shorten(field.getKey()), errors));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkNumbers(node.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
