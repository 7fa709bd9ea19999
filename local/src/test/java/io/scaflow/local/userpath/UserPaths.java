package io.scaflow.local.userpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the user-path tests share: free ports, HTTP calls with a deadline, the sandbox's control API, curl. */
final class UserPaths {

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(35);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private UserPaths() {
    }

    /** A port free on 127.0.0.1 now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One call; every call has a deadline, so a hanging service fails the test instead of stalling it. */
    static HttpResponse<String> send(String method, URI uri, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (HTTP " + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** The sandbox's simulated user {@code uid} confirms every new action request {@code afterMs} after it. */
    static void confirmAfter(URI sandbox, String uid, long afterMs) {
        HttpResponse<String> set = send("PUT", sandbox.resolve("/sandbox/users/" + uid + "/policy"),
                "{\"behaviour\": \"CONFIRM\", \"afterMs\": " + afterMs + "}", Map.of());
        if (set.statusCode() != 200) {
            throw new AssertionError("policy of " + uid + ": HTTP " + set.statusCode() + " " + set.body());
        }
    }

    /** The transfers the sandbox executed, by uid. */
    static Map<String, Integer> transfersByUid(URI sandbox) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (JsonNode transfer : json(send("GET", sandbox.resolve("/sandbox/transfers"), null, Map.of())).get("data")) {
            counts.merge(transfer.path("uid").asText(transfer.path("payload").path("uid").asText()), 1, Integer::sum);
        }
        return counts;
    }

    /** Polls {@code probe} every 200 ms until it gives a value. */
    static <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " within " + timeout);
    }

    /** Runs curl with these arguments, as a user would type them; gives its standard output. */
    static String curl(String... arguments) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "--max-time", "35"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(40, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("curl " + arguments[0] + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run curl", e);
        }
    }

    /**
     * The README's quick-start curl ({@code POST /v1/transfers}, USER_ID replaced by {@code uid}) against the API
     * at {@code api} (its stage included); the new flow's id.
     */
    static String startReadmeTransfer(String api, String uid, String accessToken)
            throws IOException, InterruptedException {
        String started = curl("-X", "POST", api + "/v1/transfers", "-H", "Content-Type: application/json", "-d",
                "{\"uid\": \"" + uid + "\", \"amount\": 234.50, \"bankTransferRecipientId\": \"RECIPIENT_ID\", "
                        + "\"accessToken\": \"" + accessToken + "\"}");
        String id = Json.MAPPER.readTree(started).path("id").asText();
        assertThat(id).as(started).isNotEmpty();
        return id;
    }

    /** Follows the flow {@code id} with the README's curl ({@code GET /v1/actions/<id>}) until it has ended. */
    static JsonNode awaitEnded(String api, String id, Duration timeout) throws InterruptedException {
        return await("a final status of " + id, timeout, () -> {
            try {
                JsonNode doc = Json.MAPPER.readTree(curl(api + "/v1/actions/" + id));
                return doc.path("ended").asBoolean(false) ? Optional.of(doc) : Optional.empty();
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }
}
