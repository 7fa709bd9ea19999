package io.scaflow.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One action request of a flow whose id reached scaflow: the answer of a create call, whichever invocation received
 * it. A flow keeps all of them (see docs/design.md, "Every action request of a flow"), so that the one the user
 * confirms is found even when it is not the latest.
 *
 * @param id        Shine's {@code authenticationActionRequestId}
 * @param attempt   the flow's attempt the request was created for
 * @param expiresAt Shine's {@code expiresAt} from the create answer
 * @param state     OPEN until a poll showed it REJECTED or expired
 * @param recorded  false only for a flow stored before the list existed: its one {@code actionRequestId}, read as
 *                  a request of the list
 */
public record KnownActionRequest(String id, int attempt, Instant expiresAt, State state, boolean recorded) {

    /** What a poll has settled about the request. CONFIRMED is not here: the winner is the flow's actionRequestId. */
    public enum State {
        /** It may still be confirmed (or was, and its token has not been seen yet). */
        OPEN,
        /** The user rejected it in Shine's app. */
        REJECTED,
        /** A poll made after its {@code expiresAt} did not find it confirmed: it never will be. */
        EXPIRED
    }

    public KnownActionRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }

    /** A request just received from Shine. */
    public static KnownActionRequest received(String id, int attempt, Instant expiresAt) {
        return new KnownActionRequest(id, attempt, expiresAt, State.OPEN, true);
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    public KnownActionRequest withState(State value) {
        return new KnownActionRequest(id, attempt, expiresAt, value, recorded);
    }
}
