package io.scaflow.shine;

import io.scaflow.core.Secret;
import io.scaflow.core.MalformedTokenException;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * Shine's SCA API as the flow steps use it: {@link ShineClient} over HTTP, an in-memory one in the unit tests.
 * Every implementation fails with the same types: {@link ShineException}'s subclasses for what Shine answered (or
 * did not), {@link IllegalArgumentException} for an id that is not a Shine id or an action that is not configured.
 */
public interface Shine {

    /** The timeout of each create or poll call unless a call is given its own. */
    Duration requestTimeout();

    /** The timeout of the call that executes a confirmed action. */
    Duration executeTimeout();

    /** Asks Shine to have the user confirm {@code action}, waiting up to {@code timeout} for the answer. */
    ActionRequest createActionRequest(String action, String uid, JsonNode payload, Duration timeout);

    /** As {@link #createActionRequest(String, String, JsonNode, Duration)} with {@link #requestTimeout()}. */
    default ActionRequest createActionRequest(String action, String uid, JsonNode payload) {
        return createActionRequest(action, uid, payload, requestTimeout());
    }

    /** The action request's current state. */
    ActionRequest poll(String actionRequestId);

    /**
     * Runs the confirmed action with the user's access token and the short-lived token: {@link #prepare}, then
     * {@link #execute(PreparedAction)}. Call at most once per token: on {@link ShineOutcomeUnknownException} the
     * action may have been done.
     */
    default ActionResult execute(String action, JsonNode payload, Secret accessToken, Secret shortLivedToken) {
        return execute(prepare(action, payload, accessToken, shortLivedToken));
    }

    /**
     * The request that runs the confirmed action, built and checked without sending anything. Build it before
     * marking the action as sent, so that a request that cannot be made fails the flow as "nothing was sent".
     *
     * @throws MalformedTokenException when a token cannot go in its header
     * @throws io.scaflow.config.ConfigurationException when the action is not configured
     */
    PreparedAction prepare(String action, JsonNode payload, Secret accessToken, Secret shortLivedToken);

    /** Sends a prepared action, at most once per token; any 2xx is a success. */
    ActionResult execute(PreparedAction action);
}
