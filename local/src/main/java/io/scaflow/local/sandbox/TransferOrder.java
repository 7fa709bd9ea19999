package io.scaflow.local.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * The body of a bank transfer ({@code {amount, bankTransferRecipientId, uid}}), validated.
 * Used both for the payload of a {@code bank:transfers:create} action request and for the transfer itself.
 *
 * @param amountNode the amount as sent, to echo it with its exact digits
 */
public record TransferOrder(BigDecimal amount, JsonNode amountNode, String bankTransferRecipientId, String uid) {

    /** Reads and checks a transfer body; {@code what} names it in messages ("payload" or "body"). */
    public static TransferOrder parse(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw SandboxException.badRequest(what + " must be a JSON object");
        }
        JsonNode amount = node.get("amount");
        if (amount == null || amount.isNull()) {
            throw SandboxException.badRequest(what + ".amount is required");
        }
        if (!amount.isNumber()) {
            throw SandboxException.badRequest(what + ".amount must be a number");
        }
        BigDecimal value = amount.decimalValue();
        if (value.signum() <= 0) {
            throw SandboxException.badRequest(what + ".amount must be positive");
        }
        if (value.stripTrailingZeros().scale() > 2) {
            throw SandboxException.badRequest(what + ".amount must have at most 2 decimals");
        }
        String recipient = requiredText(node, "bankTransferRecipientId", what);
        String uid = requiredText(node, "uid", what);
        return new TransferOrder(value, amount.deepCopy(), recipient, uid);
    }

    static String requiredText(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw SandboxException.badRequest(what + "." + field + " is required");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw SandboxException.badRequest(what + "." + field + " must be a non-empty string");
        }
        return value.asText();
    }

    /** Same amount by value (234 equals 234.00), same recipient, same uid. */
    public String differenceFrom(TransferOrder confirmed) {
        if (amount.compareTo(confirmed.amount) != 0) {
            return "amount";
        }
        if (!bankTransferRecipientId.equals(confirmed.bankTransferRecipientId)) {
            return "bankTransferRecipientId";
        }
        if (!uid.equals(confirmed.uid)) {
            return "uid";
        }
        return null;
    }
}
