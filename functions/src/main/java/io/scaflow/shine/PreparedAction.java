package io.scaflow.shine;

import io.scaflow.core.Secret;
import io.scaflow.core.Tokens;
import io.scaflow.core.MalformedTokenException;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;

/**
 * A confirmed action's request, built and checked by {@link Shine#prepare} before anything is marked as sent and
 * sent by {@link Shine#execute(PreparedAction)}. It holds both tokens and never shows them.
 */
public final class PreparedAction {

    private final String endpoint;
    private final String action;
    private final JsonNode payload;
    private final Secret accessToken;
    private final Secret shortLivedToken;
    private final HttpRequest request;

    PreparedAction(String endpoint, String action, JsonNode payload, Secret accessToken, Secret shortLivedToken,
                   HttpRequest request) {
        this.endpoint = endpoint;
        this.action = action;
        this.payload = payload;
        this.accessToken = accessToken;
        this.shortLivedToken = shortLivedToken;
        this.request = request;
    }

    /**
     * The checks every {@link Shine} makes before sending: the access token is an RFC 6750 bearer token and the
     * short-lived token can go in a header (see {@link Tokens}).
     *
     * @throws MalformedTokenException naming the token, never showing it
     */
    static void checkTokens(Secret accessToken, Secret shortLivedToken) {
        if (!Tokens.isBearerToken(accessToken.reveal())) {
            throw new MalformedTokenException("the user's access token", false);
        }
        if (!Tokens.isHeaderToken(shortLivedToken.reveal())) {
            throw new MalformedTokenException("the short-lived token Shine gave", true);
        }
    }

    /** {@code METHOD /path}, e.g. {@code POST /v3/bank/transfers}. */
    public String endpoint() {
        return endpoint;
    }

    String action() {
        return action;
    }

    JsonNode payload() {
        return payload;
    }

    Secret accessToken() {
        return accessToken;
    }

    Secret shortLivedToken() {
        return shortLivedToken;
    }

    /** The HTTP request {@link ShineClient} sends (null for other implementations). */
    HttpRequest request() {
        return request;
    }

    @Override
    public String toString() {
        return "PreparedAction[" + endpoint + "]";
    }
}
