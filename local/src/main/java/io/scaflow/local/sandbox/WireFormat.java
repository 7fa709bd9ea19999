package io.scaflow.local.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.json.Timestamps;
import java.util.List;

/** The JSON the sandbox writes: Shine's envelope {@code {"data", "metadata"}} and the control API's views. */
final class WireFormat {

    private WireFormat() {
    }

    static ObjectNode envelope(JsonNode data) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("data", data);
        root.set("metadata", Json.MAPPER.createObjectNode());
        return root;
    }

    static ObjectNode error(String code, String message) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return root;
    }

    /** As Shine returns it; {@code token} only once CONFIRMED. */
    static ObjectNode actionRequest(ActionRequest request) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("authenticationActionRequestId", request.id());
        data.put("clientId", request.clientId());
        data.put("action", request.action());
        data.set("payload", request.payloadCopy());
        data.put("uid", request.uid());
        data.put("status", request.status().name());
        if (request.status() == ActionRequestStatus.CONFIRMED && request.token() != null) {
            data.put("token", request.token());
        }
        data.put("updatedAt", Timestamps.format(request.updatedAt()));
        data.put("createdAt", Timestamps.format(request.createdAt()));
        data.put("expiresAt", Timestamps.format(request.expiresAt()));
        return data;
    }

    static ObjectNode transfer(TransferRecord transfer) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("bankTransferId", transfer.bankTransferId());
        data.set("amount", transfer.amountNode().deepCopy());
        data.put("bankTransferRecipientId", transfer.bankTransferRecipientId());
        data.put("uid", transfer.uid());
        data.put("status", transfer.status());
        data.put("createdAt", Timestamps.format(transfer.createdAt()));
        return data;
    }

    // ---- control API views (never a token) -------------------------------------------------------------------

    static ObjectNode controlView(ActionRequest request, java.time.Instant now) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("id", request.id());
        data.put("action", request.action());
        data.put("uid", request.uid());
        data.set("payload", request.payloadCopy());
        data.put("status", request.status().name());
        data.put("expired", request.isPending() && request.isExpiredAt(now));
        data.put("createdAt", Timestamps.format(request.createdAt()));
        data.put("updatedAt", Timestamps.format(request.updatedAt()));
        data.put("expiresAt", Timestamps.format(request.expiresAt()));
        return data;
    }

    static ObjectNode transferRecord(TransferRecord transfer) {
        ObjectNode data = transfer(transfer);
        data.put("actionRequestId", transfer.actionRequestId());
        return data;
    }

    static ObjectNode call(CallRecord call) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("endpoint", call.endpoint().wireName());
        data.put("method", call.method());
        data.put("path", call.path());
        data.put("status", call.status());
        data.put("time", Timestamps.format(call.time()));
        if (call.fault() != null) {
            data.put("fault", call.fault());
        }
        return data;
    }

    static ObjectNode fault(Fault fault) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("endpoint", fault.endpoint().wireName());
        data.put("kind", fault.kind().name());
        data.put("count", fault.count());
        data.put("retryAfterSeconds", fault.retryAfterSeconds());
        data.put("delayMs", fault.delayMs());
        if (fault.kind() == Fault.Kind.SUCCESS_ANSWER) {
            data.put("status", fault.status());
            data.put("body", fault.body().name());
        }
        if (fault.kind() == Fault.Kind.TIMESTAMPS) {
            data.put("fractionDigits", fault.fractionDigits());
            data.put("offset", fault.offset());
        }
        return data;
    }

    static ObjectNode policy(String uid, UserPolicy policy) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("uid", uid);
        data.put("behaviour", policy.behaviour().name());
        data.put("afterMs", policy.afterMs());
        return data;
    }

    static <T> ObjectNode list(List<T> items, java.util.function.Function<T, ObjectNode> view) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        items.forEach(item -> array.add(view.apply(item)));
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("data", array);
        return root;
    }

    static ObjectNode data(JsonNode data) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("data", data);
        return root;
    }
}
