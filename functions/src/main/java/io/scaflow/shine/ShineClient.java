package io.scaflow.shine;

import io.scaflow.core.Secret;
import io.scaflow.core.Tokens;
import io.scaflow.core.MalformedTokenException;
import io.scaflow.core.ActionRegistry;
import io.scaflow.core.ActionEndpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.config.ConfigurationException;
import io.scaflow.json.Json;
import io.scaflow.shine.ShineHttp.Effect;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Shine's SCA API: create an action request, poll it, execute the confirmed action.
 *
 * <p>Failures are typed ({@link ShineException}'s subclasses). For {@link #execute} the client tells apart
 * "Shine answered no" ({@link ShineClientException}, {@link ShineRateLimitedException}, or
 * {@link ShineUnavailableException} when the connection was never made) from "the request may have reached Shine
 * and no usable answer came" ({@link ShineOutcomeUnknownException}). Any 2xx to an executed action is a success,
 * whatever its body.
 *
 * <p>Thread-safe; build one per Lambda container.
 */
public final class ShineClient implements Shine {

    static final String ACTION_REQUEST_PATH = "/v2/authentication/oauth2/action_request";

    private final ShineConfig config;
    private final ShineHttp http;
    private final Clock clock;

    public ShineClient(ShineConfig config) {
        this(config, HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    }

    public ShineClient(ShineConfig config, HttpClient http) {
        this(config, http, Clock.systemUTC());
    }

    /** {@code clock} reads Retry-After dates. */
    public ShineClient(ShineConfig config, HttpClient http, Clock clock) {
        this.config = Objects.requireNonNull(config);
        this.http = new ShineHttp(Objects.requireNonNull(http));
        this.clock = Objects.requireNonNull(clock);
    }

    public ActionRegistry actions() {
        return config.actions();
    }

    public ShineConfig config() {
        return config;
    }

    /** The timeout of each call unless a call is given its own. */
    public Duration requestTimeout() {
        return config.requestTimeout();
    }

    /** The timeout of the execute call. */
    public Duration executeTimeout() {
        return config.executeTimeout();
    }

    /**
     * {@code POST /v2/authentication/oauth2/action_request}: asks Shine to have the user confirm {@code action}.
     * A 5xx or a lost answer is {@link ShineUnavailableException}, though Shine may have created the request: its
     * message says so, since making the call again creates another one (and notifies the user again). A 2xx whose
     * body was cut off is one too (the id is unknown).
     */
    public ActionRequest createActionRequest(String action, String uid, JsonNode payload) {
        return createActionRequest(action, uid, payload, config.requestTimeout());
    }

    /** As {@link #createActionRequest(String, String, JsonNode)}, waiting up to {@code timeout} for the answer. */
    public ActionRequest createActionRequest(String action, String uid, JsonNode payload, Duration timeout) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("action", action);
        body.put("client_id", config.credentials().clientId());
        body.put("client_secret", config.credentials().clientSecret().reveal());
        body.put("uid", uid);
        body.set("payload", payload);
        String endpoint = "POST " + ACTION_REQUEST_PATH;
        HttpRequest request = jsonRequest(URI.create(config.baseUrl() + ACTION_REQUEST_PATH), timeout)
                .POST(HttpRequest.BodyPublishers.ofString(write(body)))
                .build();
        ShineHttp.Reply reply = http.send(endpoint, request, timeout, Effect.CREATES);
        return WireFormat.actionRequest(endpoint, WireFormat.data(endpoint, answer(endpoint, reply, Effect.CREATES)));
    }

    /** {@code GET .../action_request/{id}/poll}: the action request's current state. */
    public ActionRequest poll(String actionRequestId) {
        if (!WireFormat.isValidId(actionRequestId)) {
            throw new IllegalArgumentException("actionRequestId is not a valid Shine id");
        }
        String path = ACTION_REQUEST_PATH + "/" + actionRequestId + "/poll";
        String endpoint = "GET " + ACTION_REQUEST_PATH + "/{id}/poll";
        // The query carries the client secret: this URI is never logged or put in a message.
        URI uri = URI.create(config.baseUrl() + path
                + "?client_id=" + encode(config.credentials().clientId())
                + "&client_secret=" + encode(config.credentials().clientSecret().reveal()));
        HttpRequest request = jsonRequest(uri, config.requestTimeout()).GET().build();
        ShineHttp.Reply reply = http.send(endpoint, request, config.requestTimeout(), Effect.NONE);
        return WireFormat.actionRequest(endpoint, WireFormat.data(endpoint, answer(endpoint, reply, Effect.NONE)));
    }

    /**
     * The request that runs the confirmed action, built and checked without sending anything: {@code payload} to
     * the action's endpoint with the user's access token and the short-lived token, with the execute timeout.
     * Build it before marking the action as sent, so that a token no header may carry fails the flow as "nothing
     * was sent".
     *
     * @throws MalformedTokenException when a token cannot go in its header (see {@link Tokens})
     * @throws ConfigurationException when the action is not configured (any more)
     */
    @Override
    public PreparedAction prepare(String action, JsonNode payload, Secret accessToken, Secret shortLivedToken) {
        ActionEndpoint target = config.actions().endpoint(action)
                .orElseThrow(() -> new ConfigurationException("SHINE_ACTIONS", "has no action " + action));
        PreparedAction.checkTokens(accessToken, shortLivedToken);
        HttpRequest request;
        try {
            request = jsonRequest(URI.create(config.baseUrl() + target.path()), config.executeTimeout())
                    .header("Authorization", "Bearer " + accessToken.reveal())
                    .header("short-lived-token", shortLivedToken.reveal())
                    .method(target.method(), HttpRequest.BodyPublishers.ofString(write(payload)))
                    .build();
        } catch (IllegalArgumentException e) {
            // the JDK's message quotes the header value: not kept
            throw new IllegalStateException("the request to " + target.method() + " " + target.path()
                    + " could not be built");
        }
        return new PreparedAction(target.method() + " " + target.path(), action, payload, accessToken,
                shortLivedToken, request);
    }

    /** Sends a prepared action. Any 2xx is a success (the body is kept as far as it can be read). */
    @Override
    public ActionResult execute(PreparedAction action) {
        ShineHttp.Reply reply = http.send(action.endpoint(), action.request(), config.executeTimeout(), Effect.ACTION);
        if (isSuccess(reply.status())) {
            return WireFormat.actionResult(reply.status(), reply.body(), reply.bodyLost());
        }
        answer(action.endpoint(), reply, Effect.ACTION);
        throw new IllegalStateException("unreachable: a non-2xx answer always throws");
    }

    private static HttpRequest.Builder jsonRequest(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
    }

    /** The body of a 2xx answer; any other status becomes the matching exception. */
    private String answer(String endpoint, ShineHttp.Reply reply, Effect effect) {
        int status = reply.status();
        if (isSuccess(status)) {
            if (reply.bodyLost()) {
                throw new ShineUnavailableException(endpoint + " answered HTTP " + status
                        + " but the body was cut off" + effect.ifSent(), null);
            }
            return reply.body();
        }
        if (status == 429) {
            throw new ShineRateLimitedException(endpoint,
                    RetryAfter.parse(reply.headers().firstValue("Retry-After").orElse(null), clock.instant()));
        }
        if (status >= 400 && status < 500) {
            throw new ShineClientException(endpoint, status, WireFormat.errorMessage(reply.body()));
        }
        // Shine's own message is not repeated: an error body may quote what the call carried (a token, the secret)
        String what = "HTTP " + status;
        if (effect == Effect.ACTION) {
            throw new ShineOutcomeUnknownException(endpoint + " answered " + what + effect.ifSent(), null);
        }
        if (status >= 500) {
            throw new ShineUnavailableException(endpoint + " answered " + what + effect.ifSent(), null);
        }
        throw new ShineMalformedResponseException(endpoint + " answered an unexpected " + what);
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static String write(JsonNode body) {
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request body could not be written", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
