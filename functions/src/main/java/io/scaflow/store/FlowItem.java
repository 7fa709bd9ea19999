package io.scaflow.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.json.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB shape of a {@link Flow}: one item per flow, keyed by {@code flowId}. Payload and result are kept as
 * JSON text so amounts keep their exact decimals; timestamps as Shine's ISO-8601 text; {@code ttl} in epoch seconds;
 * the tokens as ciphertext ({@link FlowTokens}).
 */
final class FlowItem {

    static final String FLOW_ID = "flowId";
    static final String ACTION = "action";
    static final String UID = "uid";
    static final String PAYLOAD = "payload";
    static final String STATUS = "status";
    static final String ATTEMPT = "attempt";
    static final String ACTION_REQUEST_ID = "actionRequestId";
    /** Every action request whose id reached scaflow: a list of maps {id, attempt, expiresAt}, appended to. */
    static final String ACTION_REQUESTS = "actionRequests";
    /** The same ids as a string set, so that an append can be conditional on the id being new. */
    static final String ACTION_REQUEST_IDS = "actionRequestIds";
    /** Ids a poll found REJECTED, and ids a poll after their expiresAt found unconfirmed (string sets). */
    static final String REJECTED_IDS = "rejectedActionRequestIds";
    static final String EXPIRED_IDS = "expiredActionRequestIds";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String AWAITING_SINCE = "awaitingSince";
    static final String EXPIRES_AT = "expiresAt";
    static final String CONFIRMED_AT = "confirmedAt";
    static final String EXECUTED_AT = "executedAt";
    static final String REMINDER_DUE = "reminderDue";
    static final String RESULT = "result";
    static final String ERROR = "error";
    static final String HISTORY = "history";
    /** The tokens, as KMS ciphertext (binary): see {@link FlowTokens}. */
    static final String ACCESS_TOKEN = FlowTokens.Token.ACCESS_TOKEN.attribute;
    static final String SHORT_LIVED_TOKEN = FlowTokens.Token.SHORT_LIVED_TOKEN.attribute;
    static final String OWNER = "owner";
    static final String IDEMPOTENCY_KEY = "idempotencyKey";
    static final String REQUEST_HASH = "requestHash";
    static final String TTL = "ttl";
    /** In a history entry: who reconciled the flow and why ({@link Reconciliation}). */
    static final String RECONCILIATION = "reconciliation";
    /**
     * The flow's event counter: 1 when recorded, plus one with every status change and when the reminder becomes
     * due, in the same conditional write (the status events' order, docs/design.md "Status events").
     */
    static final String SEQUENCE = "sequence";
    /** True once nothing more will happen to the flow (a final status, or EXPIRED with no attempt left). */
    static final String ENDED = "ended";

    private FlowItem() {
    }

    static Map<String, AttributeValue> toItem(Flow flow, long ttlEpochSeconds, FlowTokens tokens) {
        Map<String, AttributeValue> item = new HashMap<>();
        put(item, FLOW_ID, s(flow.flowId()));
        put(item, ACTION, s(flow.action()));
        put(item, UID, s(flow.uid()));
        put(item, PAYLOAD, json(flow.payload()));
        put(item, STATUS, s(flow.status().name()));
        put(item, ATTEMPT, n(flow.attempt()));
        put(item, ACTION_REQUEST_ID, s(flow.actionRequestId()));
        List<KnownActionRequest> recorded = flow.actionRequests().stream().filter(KnownActionRequest::recorded).toList();
        put(item, ACTION_REQUESTS, AttributeValue.fromL(recorded.stream().map(FlowItem::actionRequest).toList()));
        put(item, ACTION_REQUEST_IDS, ids(recorded.stream().map(KnownActionRequest::id).toList()));
        put(item, REJECTED_IDS, ids(idsIn(flow, KnownActionRequest.State.REJECTED)));
        put(item, EXPIRED_IDS, ids(idsIn(flow, KnownActionRequest.State.EXPIRED)));
        put(item, CREATED_AT, time(flow.createdAt()));
        put(item, UPDATED_AT, time(flow.updatedAt()));
        put(item, AWAITING_SINCE, time(flow.awaitingSince()));
        put(item, EXPIRES_AT, time(flow.expiresAt()));
        put(item, CONFIRMED_AT, time(flow.confirmedAt()));
        put(item, EXECUTED_AT, time(flow.executedAt()));
        put(item, REMINDER_DUE, AttributeValue.fromBool(flow.reminderDue()));
        put(item, RESULT, json(flow.result()));
        put(item, ERROR, error(flow.error()));
        put(item, HISTORY, AttributeValue.fromL(flow.history().stream().map(FlowItem::change).toList()));
        put(item, ACCESS_TOKEN, flow.accessToken()
                .map(t -> tokens.seal(flow.flowId(), FlowTokens.Token.ACCESS_TOKEN, t)).orElse(null));
        put(item, SHORT_LIVED_TOKEN, flow.shortLivedToken()
                .map(t -> tokens.seal(flow.flowId(), FlowTokens.Token.SHORT_LIVED_TOKEN, t)).orElse(null));
        put(item, OWNER, s(flow.owner()));
        put(item, IDEMPOTENCY_KEY, s(flow.idempotencyKey()));
        put(item, REQUEST_HASH, s(flow.requestHash()));
        put(item, TTL, n(ttlEpochSeconds));
        put(item, SEQUENCE, n(Math.max(1, flow.history().size())));
        return item;
    }

    /** The flow; its tokens sealed (decrypted on first use), or decrypted now when {@code openTokens}. */
    static Flow fromItem(Map<String, AttributeValue> item, FlowTokens tokens, boolean openTokens) {
        String flowId = text(item, FLOW_ID);
        List<StatusChange> history = new ArrayList<>();
        AttributeValue rawHistory = item.get(HISTORY);
        if (rawHistory != null && rawHistory.hasL()) {
            for (AttributeValue entry : rawHistory.l()) {
                Map<String, AttributeValue> m = entry.m();
                history.add(new StatusChange(FlowStatus.valueOf(m.get("status").s()),
                        Timestamps.parse(m.get("at").s()), m.containsKey("reason") ? m.get("reason").s() : null,
                        reconciliation(m.get(RECONCILIATION))));
            }
        }
        AttributeValue error = item.get(ERROR);
        return new Flow(
                flowId,
                text(item, ACTION),
                text(item, UID),
                readJson(text(item, PAYLOAD)),
                FlowStatus.valueOf(text(item, STATUS)),
                item.containsKey(ATTEMPT) ? Integer.parseInt(item.get(ATTEMPT).n()) : 0,
                text(item, ACTION_REQUEST_ID),
                actionRequests(item),
                instant(item, CREATED_AT),
                instant(item, UPDATED_AT),
                instant(item, AWAITING_SINCE),
                instant(item, EXPIRES_AT),
                instant(item, CONFIRMED_AT),
                instant(item, EXECUTED_AT),
                item.containsKey(REMINDER_DUE) && Boolean.TRUE.equals(item.get(REMINDER_DUE).bool()),
                readJson(text(item, RESULT)),
                error == null || !error.hasM() ? null
                        : new FlowError(error.m().get("code").s(), error.m().get("message").s()),
                history,
                tokens.read(item, flowId, FlowTokens.Token.ACCESS_TOKEN, openTokens),
                tokens.read(item, flowId, FlowTokens.Token.SHORT_LIVED_TOKEN, openTokens),
                text(item, OWNER),
                text(item, IDEMPOTENCY_KEY),
                text(item, REQUEST_HASH));
    }

    static AttributeValue actionRequest(KnownActionRequest request) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("id", AttributeValue.fromS(request.id()));
        m.put("attempt", n(request.attempt()));
        if (request.expiresAt() != null) {
            m.put("expiresAt", time(request.expiresAt()));
        }
        return AttributeValue.fromM(m);
    }

    /** A string set, or null for none (DynamoDB has no empty set). */
    static AttributeValue ids(Collection<String> ids) {
        return ids.isEmpty() ? null : AttributeValue.fromSs(List.copyOf(new LinkedHashSet<>(ids)));
    }

    /**
     * The listed requests with what polls settled about them. An item written before the list existed has only its
     * {@code actionRequestId}: it is read as the one request (not recorded in the list, see
     * {@link KnownActionRequest#recorded()}).
     */
    private static List<KnownActionRequest> actionRequests(Map<String, AttributeValue> item) {
        Set<String> rejected = set(item, REJECTED_IDS);
        Set<String> expired = set(item, EXPIRED_IDS);
        List<KnownActionRequest> requests = new ArrayList<>();
        AttributeValue raw = item.get(ACTION_REQUESTS);
        if (raw != null && raw.hasL()) {
            for (AttributeValue entry : raw.l()) {
                Map<String, AttributeValue> m = entry.m();
                requests.add(new KnownActionRequest(m.get("id").s(),
                        m.containsKey("attempt") ? Integer.parseInt(m.get("attempt").n()) : 0,
                        instant(m, "expiresAt"), KnownActionRequest.State.OPEN, true));
            }
        }
        String current = text(item, ACTION_REQUEST_ID);
        if (current != null && requests.stream().noneMatch(r -> r.id().equals(current))) {
            requests.add(new KnownActionRequest(current,
                    item.containsKey(ATTEMPT) ? Integer.parseInt(item.get(ATTEMPT).n()) : 0,
                    instant(item, EXPIRES_AT), KnownActionRequest.State.OPEN, false));
        }
        return requests.stream().map(r -> rejected.contains(r.id()) ? r.withState(KnownActionRequest.State.REJECTED)
                : expired.contains(r.id()) ? r.withState(KnownActionRequest.State.EXPIRED) : r).toList();
    }

    private static List<String> idsIn(Flow flow, KnownActionRequest.State state) {
        return flow.actionRequests().stream().filter(r -> r.state() == state).map(KnownActionRequest::id).toList();
    }

    private static Set<String> set(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasSs() ? Set.of() : Set.copyOf(value.ss());
    }

    static AttributeValue s(String value) {
        return value == null ? null : AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue time(Instant instant) {
        return instant == null ? null : AttributeValue.fromS(Timestamps.format(instant));
    }

    static AttributeValue json(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return AttributeValue.fromS(Json.MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON could not be written", e);
        }
    }

    static AttributeValue error(FlowError error) {
        return error == null ? null : AttributeValue.fromM(Map.of(
                "code", AttributeValue.fromS(error.code()), "message", AttributeValue.fromS(error.message())));
    }

    static AttributeValue change(StatusChange change) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("status", AttributeValue.fromS(change.status().name()));
        m.put("at", AttributeValue.fromS(Timestamps.format(change.at())));
        if (change.reason() != null) {
            m.put("reason", AttributeValue.fromS(change.reason()));
        }
        Reconciliation reconciliation = change.reconciliation();
        if (reconciliation != null) {
            Map<String, AttributeValue> r = new HashMap<>();
            put(r, "by", s(reconciliation.by()));
            put(r, "callerId", s(reconciliation.callerId()));
            put(r, "note", s(reconciliation.note()));
            put(r, "shineTransferId", s(reconciliation.shineTransferId()));
            m.put(RECONCILIATION, AttributeValue.fromM(r));
        }
        return AttributeValue.fromM(m);
    }

    private static Reconciliation reconciliation(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return null;
        }
        Map<String, AttributeValue> r = value.m();
        return new Reconciliation(text(r, "by"), text(r, "callerId"), text(r, "note"), text(r, "shineTransferId"));
    }

    private static void put(Map<String, AttributeValue> item, String name, AttributeValue value) {
        if (value != null) {
            item.put(name, value);
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String text = text(item, name);
        return text == null ? null : Timestamps.parse(text);
    }

    private static JsonNode readJson(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
