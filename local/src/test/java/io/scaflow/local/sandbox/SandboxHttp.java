package io.scaflow.local.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.scaflow.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small java.net.http client for the tests: Shine calls and control calls against one sandbox. */
final class SandboxHttp {

    static final String UID = "user-1";
    static final String RECIPIENT = "recipient-1";

    record Reply(int status, String body, HttpResponse<String> raw) {

        JsonNode json() {
            try {
                return Json.MAPPER.reader().without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        JsonNode data() {
            return json().get("data");
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ShineSandbox sandbox;

    SandboxHttp(ShineSandbox sandbox) {
        this.sandbox = sandbox;
    }

    static String transferPayload(String amount, String recipient, String uid) {
        return "{\"amount\": " + amount + ", \"bankTransferRecipientId\": \"" + recipient + "\", \"uid\": \""
                + uid + "\"}";
    }

    static String createBody(String action, String uid, String payload, String clientId, String clientSecret) {
        return "{\"action\": \"" + action + "\", \"client_id\": \"" + clientId + "\", \"client_secret\": \""
                + clientSecret + "\", \"uid\": \"" + uid + "\", \"payload\": " + payload + "}";
    }

    Reply createTransferRequest(String amount) {
        return create(createBody(SandboxConfig.TRANSFER_ACTION, UID, transferPayload(amount, RECIPIENT, UID),
                sandbox.clientId(), sandbox.clientSecret()));
    }

    String createdId(String amount) {
        Reply reply = createTransferRequest(amount);
        if (reply.status() != 200) {
            throw new AssertionError("create failed: " + reply.status() + " " + reply.body());
        }
        return reply.data().get("authenticationActionRequestId").asText();
    }

    /** Creates, confirms as the user, polls: the short-lived token. */
    String confirmedToken(String amount) {
        String id = createdId(amount);
        sandbox.confirm(id);
        return poll(id).data().get("token").asText();
    }

    Reply create(String body) {
        return send(HttpRequest.newBuilder(uri(ShineApi.ACTION_REQUEST_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply poll(String id) {
        return poll(id, sandbox.clientId(), sandbox.clientSecret());
    }

    Reply poll(String id, String clientId, String clientSecret) {
        return send(HttpRequest.newBuilder(uri(ShineApi.ACTION_REQUEST_PATH + "/" + id + "/poll?client_id="
                + enc(clientId) + "&client_secret=" + enc(clientSecret))).GET());
    }

    Reply transfer(String accessToken, String shortLivedToken, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(ShineApi.TRANSFER_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accessToken != null) {
            builder.header("Authorization", "Bearer " + accessToken);
        }
        if (shortLivedToken != null) {
            builder.header("short-lived-token", shortLivedToken);
        }
        return send(builder);
    }

    Reply transfer(String shortLivedToken, String amount) {
        return transfer(sandbox.accessTokenOf(UID), shortLivedToken, transferPayload(amount, RECIPIENT, UID));
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply put(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpClient client() {
        return client;
    }

    URI uri(String path) {
        return URI.create(sandbox.baseUrl() + path);
    }

    private static String enc(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
