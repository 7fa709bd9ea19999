package io.scaflow.local.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An executed bank transfer.
 *
 * @param amountNode the amount as sent (echoed with its digits)
 */
public record TransferRecord(String bankTransferId, String actionRequestId, BigDecimal amount, JsonNode amountNode,
                             String bankTransferRecipientId, String uid, String status, Instant createdAt) {
}
