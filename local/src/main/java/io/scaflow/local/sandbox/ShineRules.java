package io.scaflow.local.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shine's behaviour, without HTTP: action requests, the simulated user, short-lived tokens and transfers.
 * Transitions happen under one lock, so concurrent calls see one order of events.
 *
 * <p>User policies are applied lazily: whenever a request is read or answered, a CONFIRM/REJECT policy whose
 * moment ({@code createdAt + afterMs}) has come, before {@code expiresAt}, is applied as of that moment. With a
 * {@link MutableClock} this is fully deterministic.
 */
final class ShineRules {

    private final SandboxConfig config;
    private final Clock clock;
    private final Set<String> knownActions;
    private final ActionRequestStore store = new ActionRequestStore();
    private final ShortLivedTokens tokens;
    private final AccessTokens accessTokens = new AccessTokens();
    private final UserPolicies policies = new UserPolicies();
    /** Lifetimes set for some users' action requests (Shine's documentation gives one and three minutes). */
    private final Map<String, Duration> lifetimes = new ConcurrentHashMap<>();
    private final Records records = new Records();

    ShineRules(SandboxConfig config) {
        this.config = config;
        this.clock = config.clock();
        this.knownActions = config.knownActions();
        this.tokens = new ShortLivedTokens(config.tokenLifetime());
    }

    Instant now() {
        return clock.instant();
    }

    Records records() {
        return records;
    }

    AccessTokens accessTokens() {
        return accessTokens;
    }

    UserPolicies policies() {
        return policies;
    }

    /** The uid's action requests created from now on live {@code lifetime} (null: the configured lifetime). */
    void setLifetime(String uid, Duration lifetime) {
        if (lifetime == null) {
            lifetimes.remove(uid);
        } else {
            lifetimes.put(uid, lifetime);
        }
    }

    // ---- Shine API -------------------------------------------------------------------------------------------

    /** {@code POST /v2/authentication/oauth2/action_request}. */
    ActionRequest create(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw SandboxException.badRequest("the body must be a JSON object");
        }
        checkClient(text(body, "client_id"), text(body, "client_secret"));
        String action = TransferOrder.requiredText(body, "action", "body");
        if (!knownActions.contains(action)) {
            throw SandboxException.badRequest("unknown action '" + abbreviate(action) + "'");
        }
        String uid = TransferOrder.requiredText(body, "uid", "body");
        JsonNode payload = body.get("payload");
        if (payload == null || !payload.isObject()) {
            throw SandboxException.badRequest("body.payload is required and must be a JSON object");
        }
        if (SandboxConfig.TRANSFER_ACTION.equals(action)) {
            TransferOrder order = TransferOrder.parse(payload, "payload");
            if (!order.uid().equals(uid)) {
                throw SandboxException.badRequest("payload.uid must be the uid of the action request");
            }
        }
        Instant now = now();
        ActionRequest request = new ActionRequest(UUID.randomUUID().toString(), config.clientId(), action, uid,
                payload.deepCopy(), ActionRequestStatus.PENDING, now, now,
                now.plus(lifetimes.getOrDefault(uid, config.actionRequestLifetime())), policies.of(uid), null);
        synchronized (this) {
            store.put(request);
        }
        return request;
    }

    /** {@code GET /v2/authentication/oauth2/action_request/{id}/poll}. */
    ActionRequest poll(String id, String clientId, String clientSecret) {
        checkClient(clientId, clientSecret);
        ActionRequest request = find(id);
        if (request == null || !request.clientId().equals(clientId)) {
            throw SandboxException.notFound("no action request with this id");
        }
        return request;
    }

    /** {@code POST /v3/bank/transfers}. */
    TransferRecord transfer(String authorization, String shortLivedToken, JsonNode body) {
        String accessToken = bearer(authorization);
        if (!accessTokens.isKnown(accessToken)) {
            throw SandboxException.unauthorized("missing or invalid access token");
        }
        TransferOrder order = TransferOrder.parse(body, "body");
        if (!accessTokens.isValidFor(order.uid(), accessToken)) {
            throw SandboxException.unauthorized("the access token is not valid for this uid");
        }
        Instant now = now();
        synchronized (this) {
            ShortLivedTokens.Grant grant = tokens.redeemForTransfer(shortLivedToken, order, now);
            TransferRecord transfer = new TransferRecord(UUID.randomUUID().toString(), grant.actionRequestId(),
                    order.amount(), order.amountNode(), order.bankTransferRecipientId(), order.uid(), "PENDING", now);
            records.addTransfer(transfer);
            return transfer;
        }
    }

    // ---- simulated user --------------------------------------------------------------------------------------

    synchronized ActionRequest find(String id) {
        ActionRequest request = id == null ? null : store.get(id);
        return request == null ? null : settle(request, now());
    }

    synchronized List<ActionRequest> list(ActionRequestStatus status) {
        Instant now = now();
        List<ActionRequest> result = new ArrayList<>();
        for (ActionRequest request : store.all()) {
            ActionRequest current = settle(request, now);
            if (status == null || current.status() == status) {
                result.add(current);
            }
        }
        return result;
    }

    synchronized ActionRequest confirm(String id) {
        ActionRequest request = answerable(id);
        return confirm(request, now());
    }

    synchronized ActionRequest reject(String id) {
        ActionRequest request = answerable(id);
        ActionRequest rejected = request.rejected(now());
        store.put(rejected);
        return rejected;
    }

    synchronized void reset() {
        store.clear();
        tokens.clear();
        accessTokens.clear();
        policies.clear();
        lifetimes.clear();
        records.clear();
    }

    private ActionRequest answerable(String id) {
        ActionRequest request = find(id);
        if (request == null) {
            throw SandboxException.notFound("no action request with this id");
        }
        if (!request.isPending()) {
            throw SandboxException.conflict("ACTION_REQUEST_NOT_PENDING",
                    "the action request is already " + request.status());
        }
        if (request.isExpiredAt(now())) {
            throw SandboxException.conflict("ACTION_REQUEST_EXPIRED", "the action request has expired");
        }
        return request;
    }

    private ActionRequest confirm(ActionRequest request, Instant at) {
        TransferOrder order = SandboxConfig.TRANSFER_ACTION.equals(request.action())
                ? TransferOrder.parse(request.payload(), "payload") : null;
        ActionRequest confirmed = request.confirmed(at, tokens.issue(request, order, at));
        store.put(confirmed);
        return confirmed;
    }

    private ActionRequest settle(ActionRequest request, Instant now) {
        UserPolicy policy = request.policy();
        if (!request.isPending() || !policy.answersAutomatically()) {
            return request;
        }
        Instant moment = request.createdAt().plusMillis(policy.afterMs());
        if (moment.isAfter(now) || request.isExpiredAt(moment)) {
            return request;
        }
        if (policy.behaviour() == UserPolicy.Behaviour.CONFIRM) {
            return confirm(request, moment);
        }
        ActionRequest rejected = request.rejected(moment);
        store.put(rejected);
        return rejected;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void checkClient(String clientId, String clientSecret) {
        if (!Secrets.same(config.clientId(), clientId) || !Secrets.same(config.clientSecret(), clientSecret)) {
            throw SandboxException.unauthorized("invalid client credentials");
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return value.substring(7).trim();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
