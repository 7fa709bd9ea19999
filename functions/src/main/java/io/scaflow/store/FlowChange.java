package io.scaflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.core.Secret;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What one conditional write does to a flow: an optional move to another status (with the reason kept in the
 * history) and the attributes it sets or removes.
 */
public final class FlowChange {

    private final FlowStatus target;
    private final String reason;
    private final Map<String, AttributeValue> sets = new LinkedHashMap<>();
    private final Set<String> removes = new LinkedHashSet<>();
    /** Tokens to store: the store encrypts them for this flow ({@link FlowTokens}) when it writes. */
    private final Map<FlowTokens.Token, Secret> tokens = new EnumMap<>(FlowTokens.Token.class);
    private final Set<String> rejected = new LinkedHashSet<>();
    private final Set<String> expired = new LinkedHashSet<>();
    private KnownActionRequest received;
    private Integer expectedAttempt;
    private Integer expectedActionRequests;
    private boolean ends;
    private Reconciliation reconciliation;
    private boolean reminder;

    private FlowChange(FlowStatus target, String reason) {
        this.target = target;
        this.reason = reason;
    }

    /** Moves the flow to {@code status}; {@code reason} goes into the history and must hold no secret. */
    public static FlowChange to(FlowStatus status, String reason) {
        return new FlowChange(status, reason);
    }

    /**
     * A person's reconciliation of an OUTCOME_UNKNOWN flow: the only change allowed to move it along
     * {@link FlowStatus#canBeReconciledTo}, and allowed no other move. Who and why go into the history entry.
     */
    public static FlowChange reconciled(FlowStatus outcome, String reason, Reconciliation reconciliation) {
        FlowChange change = new FlowChange(outcome, reason);
        change.reconciliation = java.util.Objects.requireNonNull(reconciliation, "reconciliation");
        return change;
    }

    /** Changes attributes and keeps the status. */
    public static FlowChange keepStatus() {
        return new FlowChange(null, null);
    }

    /**
     * The action request that opens an attempt: it becomes the flow's {@code actionRequestId} and is added to its
     * list of action requests.
     */
    public FlowChange actionRequest(String actionRequestId, int attempt, Instant awaitingSince, Instant expiresAt) {
        received = KnownActionRequest.received(actionRequestId, attempt, expiresAt);
        set(FlowItem.ACTION_REQUEST_ID, FlowItem.s(actionRequestId));
        set(FlowItem.ATTEMPT, FlowItem.n(attempt));
        set(FlowItem.AWAITING_SINCE, FlowItem.time(awaitingSince));
        set(FlowItem.EXPIRES_AT, FlowItem.time(expiresAt));
        set(FlowItem.REMINDER_DUE, AttributeValue.fromBool(false));
        return this;
    }

    /** The user should be reminded: an event of its own ("Flow Reminder Due"), so it counts in the sequence. */
    public FlowChange reminderDue() {
        reminder = true;
        return set(FlowItem.REMINDER_DUE, AttributeValue.fromBool(true));
    }

    /** The user confirmed {@code actionRequestId}: it becomes the flow's action request, its token is stored. */
    public FlowChange confirmed(String actionRequestId, Instant at, Secret shortLivedToken) {
        set(FlowItem.ACTION_REQUEST_ID, FlowItem.s(actionRequestId));
        return confirmed(at, shortLivedToken);
    }

    /** The user confirmed the flow's current action request. */
    public FlowChange confirmed(Instant at, Secret shortLivedToken) {
        set(FlowItem.CONFIRMED_AT, FlowItem.time(at));
        return token(FlowTokens.Token.SHORT_LIVED_TOKEN, shortLivedToken);
    }

    /** Records what polls settled: these requests were rejected, these expired (see {@link KnownActionRequest}). */
    public FlowChange settled(Collection<String> rejectedIds, Collection<String> expiredIds) {
        rejected.addAll(rejectedIds);
        expired.addAll(expiredIds);
        return this;
    }

    /** Applies only while the flow is on this attempt (a duplicate invocation may have renewed it meanwhile). */
    public FlowChange whileAttempt(int attempt) {
        expectedAttempt = attempt;
        return this;
    }

    /**
     * Applies only while the flow lists this many action requests ({@link Flow#recordedActionRequests()}): a
     * decision taken on all of them (expired, rejected) does not stand if another one was recorded meanwhile.
     */
    public FlowChange whileActionRequests(int count) {
        expectedActionRequests = count;
        return this;
    }

    public FlowChange executedAt(Instant at) {
        return set(FlowItem.EXECUTED_AT, FlowItem.time(at));
    }

    public FlowChange result(JsonNode result) {
        return set(FlowItem.RESULT, FlowItem.json(result));
    }

    public FlowChange error(FlowError error) {
        return set(FlowItem.ERROR, FlowItem.error(error));
    }

    /** Removes the flow's {@code error} (an outcome found after all explains itself). */
    public FlowChange clearError() {
        sets.remove(FlowItem.ERROR);
        removes.add(FlowItem.ERROR);
        return this;
    }

    public FlowChange accessToken(Secret token) {
        return token(FlowTokens.Token.ACCESS_TOKEN, token);
    }

    /**
     * Removes both tokens: after the action is sent, or when the flow ends (with the plain-text attributes items
     * written before the tokens were encrypted may still hold).
     */
    public FlowChange forgetSecrets() {
        forget(FlowTokens.Token.ACCESS_TOKEN);
        forget(FlowTokens.Token.SHORT_LIVED_TOKEN);
        return this;
    }

    /**
     * This change ends the flow although its status is not final (EXPIRED with no attempt left): its secrets go
     * and its expiry (TTL) is counted from now, as for a final status.
     */
    public FlowChange endsFlow() {
        ends = true;
        return forgetSecrets();
    }

    public FlowChange forgetShortLivedToken() {
        forget(FlowTokens.Token.SHORT_LIVED_TOKEN);
        return this;
    }

    Optional<FlowStatus> target() {
        return Optional.ofNullable(target);
    }

    Optional<Reconciliation> reconciliation() {
        return Optional.ofNullable(reconciliation);
    }

    Optional<KnownActionRequest> received() {
        return Optional.ofNullable(received);
    }

    Set<String> rejected() {
        return rejected;
    }

    Set<String> expired() {
        return expired;
    }

    Optional<Integer> expectedAttempt() {
        return Optional.ofNullable(expectedAttempt);
    }

    Optional<Integer> expectedActionRequests() {
        return Optional.ofNullable(expectedActionRequests);
    }

    boolean ends() {
        return ends;
    }

    /** Whether the write is an event of the flow (a status change, the reminder): it takes the next sequence. */
    boolean announces() {
        return target != null || reminder;
    }

    String reason() {
        return reason;
    }

    Map<String, AttributeValue> sets() {
        return sets;
    }

    Set<String> removes() {
        return removes;
    }

    Map<FlowTokens.Token, Secret> tokens() {
        return tokens;
    }

    private FlowChange token(FlowTokens.Token token, Secret value) {
        tokens.put(token, value);
        removes.remove(token.attribute);
        return this;
    }

    private void forget(FlowTokens.Token token) {
        tokens.remove(token);
        removes.add(token.attribute);
        removes.add(token.legacyAttribute);
    }

    private FlowChange set(String name, AttributeValue value) {
        if (value != null) {
            sets.put(name, value);
            removes.remove(name);
        }
        return this;
    }
}
