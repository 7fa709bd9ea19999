package io.scaflow.prime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Shine's answers as its documentation gives them, for priming: a create answers a PENDING action request, a poll
 * a CONFIRMED one with a short-lived token, an executed action a transfer. Every id and token is a fixed priming
 * value, never a real one.
 */
public final class InMemoryShine {

    public static final String ACTION_REQUEST_ID = "priming-action-request";
    private static final String PATH = "/v2/authentication/oauth2/action_request";

    private final Clock clock;

    public InMemoryShine(Clock clock) {
        this.clock = clock;
    }

    /** The answer to a request for {@code path}. */
    public LoopbackServer.Answer answer(String path) {
        if (path.endsWith(PATH)) {
            return json(201, actionRequest("PENDING", ""));
        }
        if (path.contains(PATH + "/") && path.endsWith("/poll")) {
            return json(200, actionRequest("CONFIRMED", ", \"token\": \"priming-short-lived-token\""));
        }
        return json(201, "{\"data\": {\"bankTransferId\": \"priming-transfer\", "
                + "\"status\": \"DONE\"}, \"metadata\": {}}");
    }

    private static LoopbackServer.Answer json(int status, String body) {
        return new LoopbackServer.Answer(status, "application/json", body);
    }

    private String actionRequest(String status, String token) {
        Instant now = clock.instant();
        return "{\"data\": {\"authenticationActionRequestId\": \"" + ACTION_REQUEST_ID + "\", \"clientId\": "
                + "\"scaflow-priming\", \"action\": \"bank:transfers:create\", \"uid\": \"priming-user\", "
                + "\"payload\": {\"amount\": 1}, \"status\": \"" + status + "\"" + token + ", \"createdAt\": \""
                + now + "\", \"updatedAt\": \"" + now + "\", \"expiresAt\": \"" + now.plus(Duration.ofMinutes(1))
                + "\"}, \"metadata\": {}}";
    }
}
