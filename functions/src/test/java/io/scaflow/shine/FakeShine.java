package io.scaflow.shine;

import io.scaflow.core.Secret;
import io.scaflow.core.ActionRegistry;
import io.scaflow.core.ActionEndpoint;

import io.scaflow.config.ConfigurationException;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link Shine} in memory: action requests a test confirms or rejects by hand, and faults it queues. It keeps
 * {@link ShineClient}'s contract: the same exception types, {@link IllegalArgumentException} for a poll of a
 * string that is not a Shine id and for an action that is not configured, a 404 for an unknown request, and a
 * short-lived token good for one action only (a second use is refused, as Shine refuses it). Every call is
 * recorded, so a test can count what was sent.
 */
public final class FakeShine implements Shine {

    static final String CREATE = "POST " + ShineClient.ACTION_REQUEST_PATH;
    static final String POLL = "GET " + ShineClient.ACTION_REQUEST_PATH + "/{id}/poll";
    /** How long Shine keeps an action request open (its sample answer says one minute). */
    public static final Duration LIFETIME = Duration.ofSeconds(60);

    /** One create call as it reached the fake. */
    public record Create(String action, String uid, JsonNode payload, Duration timeout) {
    }

    /** One execute call as it reached the fake (the tokens as sent). */
    public record Execute(String action, JsonNode payload, Secret accessToken, Secret shortLivedToken) {
    }

    private final Clock clock;
    private final ActionRegistry actions;
    private final Map<String, ActionRequest> requests = new LinkedHashMap<>();
    private final Deque<RuntimeException> createFaults = new ArrayDeque<>();
    private final Deque<RuntimeException> pollFaults = new ArrayDeque<>();
    private final Deque<RuntimeException> executeFaults = new ArrayDeque<>();
    private final Deque<Runnable> duringExecute = new ArrayDeque<>();
    private final List<Create> creates = new ArrayList<>();
    private final List<String> polls = new ArrayList<>();
    private final List<Execute> executions = new ArrayList<>();
    private final Set<String> usedTokens = new HashSet<>();
    private RuntimeException everyCall;
    private ActionResult executeAnswer = new ActionResult(201, ActionResult.Shape.ENVELOPE,
            Json.MAPPER.createObjectNode().put("bankTransferId", "bt-1").put("status", "PENDING"));
    private int ids;

    public FakeShine(Clock clock) {
        this(clock, ActionRegistry.builtIn());
    }

    public FakeShine(Clock clock, ActionRegistry actions) {
        this.clock = clock;
        this.actions = actions;
    }

    @Override
    public Duration requestTimeout() {
        return ShineConfig.DEFAULT_REQUEST_TIMEOUT;
    }

    @Override
    public Duration executeTimeout() {
        return ShineConfig.DEFAULT_EXECUTE_TIMEOUT;
    }

    /** A new PENDING request open for {@link #LIFETIME}, unless a fault is queued. */
    @Override
    public synchronized ActionRequest createActionRequest(String action, String uid, JsonNode payload, Duration timeout) {
        creates.add(new Create(action, uid, payload, timeout));
        fault(createFaults);
        Instant now = clock.instant();
        ActionRequest request = new ActionRequest("ar-" + (++ids), "client-1", action, payload, uid,
                ActionRequestStatus.PENDING, "PENDING", Optional.empty(), now, now, now.plus(LIFETIME));
        requests.put(request.id(), request);
        return request;
    }

    @Override
    public synchronized ActionRequest poll(String actionRequestId) {
        if (!WireFormat.isValidId(actionRequestId)) {
            throw new IllegalArgumentException("actionRequestId is not a valid Shine id");
        }
        polls.add(actionRequestId);
        fault(pollFaults);
        ActionRequest request = requests.get(actionRequestId);
        if (request == null) {
            throw new ShineClientException(POLL, 404, "action request not found");
        }
        return request;
    }

    @Override
    public PreparedAction prepare(String action, JsonNode payload, Secret accessToken, Secret shortLivedToken) {
        ActionEndpoint endpoint = actions.endpoint(action)
                .orElseThrow(() -> new ConfigurationException("SHINE_ACTIONS", "has no action " + action));
        PreparedAction.checkTokens(accessToken, shortLivedToken);
        return new PreparedAction(endpoint.method() + " " + endpoint.path(), action, payload, accessToken,
                shortLivedToken, null);
    }

    @Override
    public synchronized ActionResult execute(PreparedAction prepared) {
        String action = prepared.action();
        JsonNode payload = prepared.payload();
        Secret accessToken = prepared.accessToken();
        Secret shortLivedToken = prepared.shortLivedToken();
        ActionEndpoint endpoint = actions.endpoint(action)
                .orElseThrow(() -> new IllegalArgumentException("action '" + action + "' is not configured"));
        executions.add(new Execute(action, payload, accessToken, shortLivedToken));
        Runnable during = duringExecute.poll();
        if (during != null) {
            during.run();
        }
        fault(executeFaults);
        if (!usedTokens.add(shortLivedToken.reveal())) {
            throw new ShineClientException(endpoint.method() + " " + endpoint.path(), 403, "short-lived token already used");
        }
        return executeAnswer;
    }

    /** The user confirms the request in Shine's app: CONFIRMED with a short-lived token, updated now. */
    public synchronized ActionRequest confirm(String id) {
        return confirm(id, clock.instant());
    }

    /** As {@link #confirm(String)}, Shine's {@code updatedAt} being {@code at}. */
    public synchronized ActionRequest confirm(String id, Instant at) {
        return answer(id, ActionRequestStatus.CONFIRMED, Optional.of(Secret.of("slt-" + id)), at);
    }

    /** The user rejects the request in Shine's app. */
    public synchronized ActionRequest reject(String id) {
        return answer(id, ActionRequestStatus.REJECTED, Optional.empty(), clock.instant());
    }

    /** The request as later polls see it, with another status (and token) than the app would give it. */
    public synchronized ActionRequest answer(String id, ActionRequestStatus status, Optional<Secret> token, Instant at) {
        ActionRequest known = requests.get(id);
        ActionRequest changed = new ActionRequest(id, known.clientId(), known.action(), known.payload(), known.uid(),
                status, status.name(), token, known.createdAt(), at, known.expiresAt());
        requests.put(id, changed);
        return changed;
    }

    /** The next create call throws {@code fault} (queued: one fault per call). */
    public synchronized FakeShine failNextCreate(RuntimeException fault) {
        createFaults.add(fault);
        return this;
    }

    public synchronized FakeShine failNextPoll(RuntimeException fault) {
        pollFaults.add(fault);
        return this;
    }

    public synchronized FakeShine failNextExecute(RuntimeException fault) {
        executeFaults.add(fault);
        return this;
    }

    /** Every call from now on throws {@code fault} (after being recorded). */
    public synchronized FakeShine failEveryCall(RuntimeException fault) {
        everyCall = fault;
        return this;
    }

    /** Runs {@code what} while the next execute call is out at Shine (before its answer). */
    public synchronized FakeShine duringNextExecute(Runnable what) {
        duringExecute.add(what);
        return this;
    }

    /** What the execute calls answer from now on. */
    public synchronized FakeShine answerExecutes(ActionResult result) {
        executeAnswer = result;
        return this;
    }

    public synchronized List<Create> creates() {
        return List.copyOf(creates);
    }

    public synchronized List<String> polls() {
        return List.copyOf(polls);
    }

    public synchronized List<Execute> executions() {
        return List.copyOf(executions);
    }

    /** Every call so far: creates, polls and executions. */
    public synchronized int calls() {
        return creates.size() + polls.size() + executions.size();
    }

    private void fault(Deque<RuntimeException> queued) {
        if (everyCall != null) {
            throw everyCall;
        }
        RuntimeException next = queued.poll();
        if (next != null) {
            throw next;
        }
    }

    /** Shine's 429, with its Retry-After (null: none given). */
    public static ShineRateLimitedException rateLimited(Duration retryAfter) {
        return new ShineRateLimitedException(CREATE, retryAfter);
    }

    /** Shine's 503 on a call that is safe to repeat. */
    public static ShineUnavailableException unavailable() {
        return new ShineUnavailableException(CREATE + " answered HTTP 503", null);
    }

    /** Shine's 4xx (other than 429). */
    public static ShineClientException refused(int status) {
        return new ShineClientException(CREATE, status, "refused");
    }
}
