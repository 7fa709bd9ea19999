package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The public API over HTTP, through the local API Gateway of one {@link LocalDeployment}: the README's quick start (a
 * transfer, the simulated user confirming through the sandbox's control API, polling until SUCCEEDED), problem
 * documents, cancel, idempotency with a lower-case header, and API Gateway's own answer for an unknown route.
 */
class ApiHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast();
    private static final E2eDriver driver = STACK.driver();
    private static URI api;
    private static URI sandbox;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        api = driver.stack().apiEndpoint();
        sandbox = URI.create(driver.sandbox().baseUrl());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @Test
    void theReadmeQuickStartRunsATransferToSucceeded() {
        String uid = "quick-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> started = send("POST", URI.create(api + "/v1/transfers"), transfer(uid, "234.50", "RECIPIENT_ID",
                SandboxConfig.ACCESS_TOKEN_PREFIX + uid), Map.of());

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(started.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode doc = json(started);
        String id = doc.get("id").asText();
        assertThat(started.headers().firstValue("Location")).hasValue("/live/v1/actions/" + id);
        assertThat(doc.get("status").asText()).isIn("PENDING", "AWAITING_CONFIRMATION");
        assertThat(doc.get("uid").asText()).isEqualTo(uid);

        // the simulated user opens Shine's app (the sandbox page) and confirms
        String requestId = await("a PENDING action request for " + uid, () -> {
            JsonNode list = json(send("GET", sandbox.resolve("/sandbox/action_requests?status=PENDING"), null, Map.of()));
            for (JsonNode request : list.get("data")) {
                if (uid.equals(request.get("uid").asText())) {
                    return Optional.of(request.get("id").asText());
                }
            }
            return Optional.empty();
        });
        HttpResponse<String> confirmed = send("POST",
                sandbox.resolve("/sandbox/action_requests/" + requestId + "/confirm"), null, Map.of());
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(json(confirmed).get("data").get("status").asText()).isEqualTo("CONFIRMED");

        URI location = api.resolve(started.headers().firstValue("Location").orElseThrow());
        JsonNode done = await("flow " + id + " SUCCEEDED", () -> {
            HttpResponse<String> answer = send("GET", location, null, Map.of());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode flow = json(answer);
            return Optional.of(flow).filter(f -> f.get("status").asText().equals("SUCCEEDED"));
        });
        assertThat(done.get("result").get("bankTransferId").asText()).isNotBlank();
        assertThat(done.get("history")).extracting(h -> h.get("status").asText())
                .containsExactly("PENDING", "AWAITING_CONFIRMATION", "CONFIRMED", "EXECUTING", "SUCCEEDED");
        assertThat(done.toString()).doesNotContain(SandboxConfig.ACCESS_TOKEN_PREFIX);
    }

    @Test
    void badInputIsAProblemDocumentNamingEachField() {
        HttpResponse<String> answer = send("POST", URI.create(api + "/v1/transfers"),
                "{\"uid\": \"u-1\", \"amount\": 12.345, \"accessToken\": \"t\"}", Map.of());

        assertProblem(answer, 400, "invalid-input");
        assertThat(json(answer).get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("amount", "bankTransferRecipientId");
        assertThat(json(answer).get("errors")).allSatisfy(e -> assertThat(e.get("reason").asText()).isNotBlank());

        assertProblem(send("POST", URI.create(api + "/v1/actions"), "{\"action\": ", Map.of()), 400, "malformed-json");
        assertProblem(send("POST", URI.create(api + "/v1/transfers"), transfer("u-1", "1", "r-1", "t"),
                Map.of("Idempotency-Key", "k".repeat(256))), 400, "invalid-input");
        assertProblem(send("GET", URI.create(api + "/v1/actions/no-such-flow"), null, Map.of()), 404, "not-found");
        assertProblem(send("DELETE", URI.create(api + "/v1/actions/not%20an%20id"), null, Map.of()), 404, "not-found");
    }

    @Test
    void deleteCancelsAWaitingFlowThenAnswers409() {
        String uid = "cancel-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> started = send("POST", URI.create(api + "/v1/transfers"),
                transfer(uid, "5", "r-4", SandboxConfig.ACCESS_TOKEN_PREFIX + uid), Map.of());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        URI location = api.resolve(started.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> cancelled = send("DELETE", location, null, Map.of());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(cancelled).get("status").asText()).isEqualTo("CANCELLED");

        HttpResponse<String> again = send("DELETE", location, null, Map.of());
        assertProblem(again, 409, "not-cancellable");
        assertThat(json(send("GET", location, null, Map.of())).get("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aLowerCaseIdempotencyKeyGivesTheSameFlowAndAnotherBodyIs409() {
        String uid = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> key = Map.of("idempotency-key", "order-" + UUID.randomUUID());
        String body = transfer(uid, "10", "r-1", SandboxConfig.ACCESS_TOKEN_PREFIX + uid);

        HttpResponse<String> first = send("POST", URI.create(api + "/v1/transfers"), body, key);
        HttpResponse<String> second = send("POST", URI.create(api + "/v1/transfers"), body, key);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));

        assertProblem(send("POST", URI.create(api + "/v1/transfers"),
                transfer(uid, "11", "r-1", SandboxConfig.ACCESS_TOKEN_PREFIX + uid), key), 409, "idempotency-key-reused");
        send("DELETE", api.resolve(first.headers().firstValue("Location").orElseThrow()), null, Map.of());
    }

    @Test
    void anUnknownRouteOrMethodGetsApiGatewaysOwnAnswer() {
        for (HttpResponse<String> answer : new HttpResponse[] {
                send("GET", URI.create(api + "/v1/nothing-here"), null, Map.of()),
                send("PUT", URI.create(api + "/v1/actions"), "{}", Map.of()),
                send("GET", URI.create(api + "/v1/actions/a/b"), null, Map.of())}) {
            assertThat(answer.statusCode()).as(answer.request().method() + " " + answer.uri()).isEqualTo(403);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(answer.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
            assertThat(json(answer).get("message").asText()).isEqualTo("Missing Authentication Token");
        }
    }

    // -------------------------------------------------------------------------------------------------- helpers

    private static String transfer(String uid, String amount, String recipient, String token) {
        return "{\"uid\": \"" + uid + "\", \"amount\": " + amount + ", \"bankTransferRecipientId\": \"" + recipient
                + "\", \"accessToken\": \"" + token + "\"}";
    }

    private static HttpResponse<String> send(String method, URI uri, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String slug) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(answer);
        assertThat(problem.get("type").asText()).isEqualTo("https://scaflow.dev/problems/" + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    /** Polls {@code probe} every 100 ms until it gives a value, for at most 20 s. */
    private static <T> T await(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 20 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
