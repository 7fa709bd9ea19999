package io.scaflow.shine;

import io.scaflow.core.Secret;
import io.scaflow.core.ActionRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.json.Json;
import io.scaflow.shine.ActionResult.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Shine client against a stub HTTP server answering what Shine's documentation allows (and worse). It starts a
 * server: integration tier (docs/tooling.md, "Test tiers").
 */
@Tag("integration")
class ShineClientAnswersTest {

    private static final Instant NOW = Instant.parse("2026-11-28T13:29:49.400Z");
    private static final String ACTION_REQUEST = """
            {"data": {"authenticationActionRequestId": "ar-1", "status": "PENDING",
             "expiresAt": "2026-11-28T13:30:49Z"}, "metadata": {}}""";

    /** What the stub does with a request. */
    private interface Answer {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private HttpServer server;
    private volatile Answer answer;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                answer.answer(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away
            }
        });
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    @ParameterizedTest(name = "HTTP {0}, {1}")
    @CsvSource({
            "200, NONE, EMPTY", "200, OBJECT, OBJECT", "200, ENVELOPE, ENVELOPE",
            "201, NONE, EMPTY", "201, OBJECT, OBJECT", "201, ENVELOPE, ENVELOPE",
            "202, NONE, EMPTY", "202, OBJECT, OBJECT", "202, ENVELOPE, ENVELOPE",
            "204, NONE, EMPTY", "201, GARBAGE, UNREADABLE"})
    void anyTwoHundredToAnActionIsASuccess(int status, String body, Shape shape) {
        String text = switch (body) {
            case "OBJECT" -> "{\"bankTransferId\": \"bt-7\", \"status\": \"PENDING\"}";
            case "ENVELOPE" -> "{\"data\": {\"bankTransferId\": \"bt-7\"}, \"metadata\": {}}";
            case "GARBAGE" -> "<html>created</html>";
            default -> "";
        };
        answer = exchange -> send(exchange, status, text);

        ActionResult result = execute(client(Duration.ofSeconds(2), Duration.ofSeconds(2)));

        assertThat(result.httpStatus()).isEqualTo(status);
        assertThat(result.shape()).isEqualTo(shape);
        if (shape == Shape.OBJECT || shape == Shape.ENVELOPE) {
            assertThat(result.id()).contains("bt-7");
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void aTwoHundredWhoseBodyIsCutOffIsStillASuccess() {
        answer = exchange -> {
            exchange.sendResponseHeaders(201, 100);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"data\": {\"bank".getBytes(StandardCharsets.UTF_8));
            out.flush();
            exchange.getHttpContext().getServer().stop(0);
        };

        ActionResult result = execute(client(Duration.ofSeconds(2), Duration.ofSeconds(2)));

        assertThat(result.httpStatus()).isEqualTo(201);
        assertThat(result.shape()).isEqualTo(Shape.UNREADABLE);
    }

    @Test
    void aTwoHundredWhoseBodyNeverEndsIsASuccessOnceTheTimeoutIsOver() {
        answer = exchange -> {
            exchange.sendResponseHeaders(200, 100);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"id\": ".getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(5_000);
        };

        ActionResult result = execute(client(Duration.ofSeconds(2), Duration.ofMillis(500)));

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.shape()).isEqualTo(Shape.UNREADABLE);
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsAnUnknownOutcomeAndIsNotSentAgain() {
        answer = exchange -> { }; // closes the connection without a status

        assertThatThrownBy(() -> execute(client(Duration.ofSeconds(2), Duration.ofSeconds(2))))
                .isInstanceOf(ShineOutcomeUnknownException.class).hasMessageContaining("may have been done");
        assertThat(requests).as("the JDK client does not resend a POST by itself").hasValue(1);
    }

    @Test
    void theActionHasItsOwnLongerTimeout() {
        answer = exchange -> {
            Thread.sleep(800);
            send(exchange, 201, "");
        };
        ShineClient client = client(Duration.ofMillis(300), Duration.ofSeconds(3));

        assertThat(execute(client).httpStatus()).isEqualTo(201);
        assertThatThrownBy(() -> client.poll("ar-1"))
                .isInstanceOf(ShineUnavailableException.class).hasMessageContaining("no answer within 300 ms");
    }

    @Test
    void anActionPastItsTimeoutIsAnUnknownOutcomeNamingTheTimeout() {
        answer = exchange -> {
            Thread.sleep(2_000);
            send(exchange, 201, "");
        };

        assertThatThrownBy(() -> execute(client(Duration.ofSeconds(5), Duration.ofMillis(400))))
                .isInstanceOf(ShineOutcomeUnknownException.class).hasMessageContaining("no answer within 400 ms");
    }

    @Test
    void aServerErrorOnCreateSaysTheRequestMayExist() {
        answer = exchange -> send(exchange, 500, "{\"error\": {\"message\": \"boom\"}}");

        assertThatThrownBy(() -> client(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .createActionRequest(ActionRegistry.BANK_TRANSFER, "u", transfer()))
                .isInstanceOf(ShineUnavailableException.class)
                .hasMessageContaining("HTTP 500")
                .hasMessageNotContaining("boom")
                .hasMessageContaining("Shine may have created the action request");
    }

    @Test
    void aCreateAnsweredTwoHundredIsRead() {
        answer = exchange -> send(exchange, 201, ACTION_REQUEST);

        assertThat(client(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .createActionRequest(ActionRegistry.BANK_TRANSFER, "u", transfer()).id()).isEqualTo("ar-1");
    }

    @Test
    void retryAfterAsAnHttpDateIsRoundedUp() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).format(NOW.plusMillis(4_600));
        answer = exchange -> {
            exchange.getResponseHeaders().set("Retry-After", date);
            send(exchange, 429, "");
        };

        assertThatThrownBy(() -> client(Duration.ofSeconds(2), Duration.ofSeconds(2)).poll("ar-1"))
                .isInstanceOfSatisfying(ShineRateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(5)));
    }

    private ActionResult execute(ShineClient client) {
        return client.execute(ActionRegistry.BANK_TRANSFER, transfer(), Secret.of("access"), Secret.of("token"));
    }

    private ShineClient client(Duration requestTimeout, Duration executeTimeout) {
        ShineConfig config = new ShineConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                new ClientCredentials("client", Secret.of("secret")), Duration.ofSeconds(1), requestTimeout,
                executeTimeout, ActionRegistry.builtIn());
        return new ShineClient(config, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
                .version(HttpClient.Version.HTTP_1_1).build(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static JsonNode transfer() {
        return Json.MAPPER.createObjectNode().put("amount", 234).put("bankTransferRecipientId", "r").put("uid", "u");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
