package io.scaflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a flow's status events may show of a flow item, read from a DynamoDB Streams image (the item in DynamoDB's
 * JSON form, {@code {"status": {"S": "PENDING"}, ...}}). Only these attributes are read, by name: the tokens (KMS
 * ciphertext), the payload, the uid, the owner and the idempotency key an image also holds are never looked at.
 *
 * @param sequence the flow's event counter ({@code 0} on an item written before it existed)
 * @param updatedAt the time of the write, as the store wrote it (Shine's ISO-8601 format)
 */
public record FlowImage(String flowId, String action, String status, int attempt, boolean reminderDue,
                        boolean ended, long sequence, String updatedAt) {

    /** The image's flow; empty when the image is missing or is not a flow item (a usage counter has no status). */
    public static Optional<FlowImage> of(JsonNode image) {
        if (image == null || !image.isObject()) {
            return Optional.empty();
        }
        String flowId = text(image, FlowItem.FLOW_ID);
        String status = text(image, FlowItem.STATUS);
        if (flowId == null || status == null) {
            return Optional.empty();
        }
        return Optional.of(new FlowImage(flowId, text(image, FlowItem.ACTION), status,
                (int) number(image, FlowItem.ATTEMPT), bool(image, FlowItem.REMINDER_DUE), bool(image, FlowItem.ENDED),
                number(image, FlowItem.SEQUENCE), text(image, FlowItem.UPDATED_AT)));
    }

    private static String text(JsonNode image, String name) {
        JsonNode value = image.path(name).path("S");
        return value.isTextual() ? value.asText() : null;
    }

    private static long number(JsonNode image, String name) {
        JsonNode value = image.path(name).path("N");
        try {
            return value.isTextual() ? Long.parseLong(value.asText()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean bool(JsonNode image, String name) {
        return image.path(name).path("BOOL").asBoolean(false);
    }
}
