package io.scaflow.shine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.log.Log;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Shine's SCA API: create an action request, poll it, execute the confirmed action.
 *
 * <p>Failures are typed ({@link ShineException}'s subclasses). For {@link #execute} the client tells apart
 * "Shine answered no" ({@link ShineClientException}, {@link ShineRateLimitedException}, or
 * {@link ShineUnavailableException} when the connection was never made) from "the request may have reached Shine
 * and no answer came" ({@link ShineOutcomeUnknownException}).
 *
 * <p>Thread-safe; build one per Lambda container.
 */
public final class ShineClient {

    static final String ACTION_REQUEST_PATH = "/v2/authentication/oauth2/action_request";
    private static final Log LOG = Log.of(ShineClient.class);

    private final ShineConfig config;
    private final HttpClient http;

    public ShineClient(ShineConfig config) {
        this(config, HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    }

    public ShineClient(ShineConfig config, HttpClient http) {
        this.config = Objects.requireNonNull(config);
        this.http = Objects.requireNonNull(http);
    }

    public ActionRegistry actions() {
        return config.actions();
    }

    /** The timeout of each call unless a call is given its own. */
    public Duration requestTimeout() {
        return config.requestTimeout();
    }

    /** {@code POST /v2/authentication/oauth2/action_request}: asks Shine to have the user confirm {@code action}. */
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
        HttpRequest request = jsonRequest(URI.create(config.baseUrl() + ACTION_REQUEST_PATH))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(write(body)))
                .build();
        HttpResponse<String> response = send(endpoint, request, false);
        return WireFormat.actionRequest(endpoint, WireFormat.data(endpoint, answer(endpoint, response, false)));
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
        HttpRequest request = jsonRequest(uri).GET().build();
        HttpResponse<String> response = send(endpoint, request, false);
        return WireFormat.actionRequest(endpoint, WireFormat.data(endpoint, answer(endpoint, response, false)));
    }

    /**
     * Runs the confirmed action: {@code payload} goes to the action's endpoint with the user's access token and the
     * short-lived token. Call at most once per token: on {@link ShineOutcomeUnknownException} the action may have
     * been done.
     */
    public ActionResult execute(String action, JsonNode payload, Secret accessToken, Secret shortLivedToken) {
        ActionEndpoint target = config.actions().endpoint(action)
                .orElseThrow(() -> new IllegalArgumentException("action '" + action + "' is not configured"));
        String endpoint = target.method() + " " + target.path();
        HttpRequest request = jsonRequest(URI.create(config.baseUrl() + target.path()))
                .header("Authorization", "Bearer " + accessToken.reveal())
                .header("short-lived-token", shortLivedToken.reveal())
                .method(target.method(), HttpRequest.BodyPublishers.ofString(write(payload)))
                .build();
        HttpResponse<String> response = send(endpoint, request, true);
        String body = answer(endpoint, response, true);
        try {
            return new ActionResult(response.statusCode(), WireFormat.data(endpoint, body));
        } catch (ShineMalformedResponseException e) {
            throw new ShineOutcomeUnknownException(endpoint + " answered HTTP " + response.statusCode()
                    + " but its body is unreadable (" + e.getMessage() + "); the action was probably done", null);
        }
    }

    private HttpRequest.Builder jsonRequest(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
    }

    private HttpResponse<String> send(String endpoint, HttpRequest request, boolean hasEffect) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            LOG.info("shine call", "endpoint", endpoint, "status", response.statusCode(), "durationMs", millisSince(start));
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw noAnswer(endpoint, hasEffect, "the call was interrupted", e);
        } catch (IOException e) {
            LOG.warn("shine call failed", "endpoint", endpoint, "error", e.getClass().getSimpleName(),
                    "durationMs", millisSince(start));
            if (neverConnected(e)) {
                throw new ShineUnavailableException(endpoint + ": could not connect to Shine ("
                        + e.getClass().getSimpleName() + ")", e);
            }
            String what = e instanceof HttpTimeoutException
                    ? "no answer within " + request.timeout().orElse(config.requestTimeout()).toMillis() + " ms"
                    : "the connection failed (" + e.getClass().getSimpleName() + ")";
            throw noAnswer(endpoint, hasEffect, what, e);
        }
    }

    /** The body of a 2xx answer; any other status becomes the matching exception. */
    private String answer(String endpoint, HttpResponse<String> response, boolean hasEffect) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String message = WireFormat.errorMessage(response.body());
        if (status == 429) {
            throw new ShineRateLimitedException(endpoint, retryAfter(response));
        }
        if (status >= 400 && status < 500) {
            throw new ShineClientException(endpoint, status, message);
        }
        String what = "HTTP " + status + (message.isEmpty() ? "" : " (" + message + ")");
        if (hasEffect) {
            throw new ShineOutcomeUnknownException(endpoint + " answered " + what + "; the action may have been done", null);
        }
        if (status >= 500) {
            throw new ShineUnavailableException(endpoint + " answered " + what, null);
        }
        throw new ShineMalformedResponseException(endpoint + " answered an unexpected " + what);
    }

    private static ShineException noAnswer(String endpoint, boolean hasEffect, String what, Exception cause) {
        return hasEffect
                ? new ShineOutcomeUnknownException(endpoint + ": " + what + "; the action may have been done", cause)
                : new ShineUnavailableException(endpoint + ": " + what, cause);
    }

    /** True when the request certainly never left: the connection itself was not made. */
    private static boolean neverConnected(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Retry-After in seconds or as an HTTP date; absent or unreadable gives null. */
    static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse("").trim();
        if (value.isEmpty()) {
            return null;
        }
        if (value.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration until = Duration.between(java.time.Instant.now(),
                    ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
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

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
