package io.scaflow.shine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.core.ActionRegistry;
import io.scaflow.core.Secret;
import io.scaflow.json.Json;
import io.scaflow.log.MetricLines;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Each Shine call (against a stub server on the loopback) leaves one metric line: ShineCalls and ShineLatency by endpoint (a template) and outcome. */
@Tag("integration")
class ShineMetricsTest {

    private HttpServer server;
    private volatile int status;
    private final MetricLines metrics = new MetricLines();

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{\"data\": {\"bankTransferId\": \"bt-1\"}}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        metrics.close();
    }

    @Test
    void anExecutedTransferIsCountedAsTwoHundredsOnItsEndpointWithItsLatency() {
        status = 201;

        client(server.getAddress().getPort()).execute(ActionRegistry.BANK_TRANSFER, transfer(), Secret.of("access"),
                Secret.of("token"));

        ObjectNode line = metrics.named("ShineCalls").get(0);
        assertThat(metrics.named("ShineCalls")).hasSize(1);
        assertThat(line.path("Endpoint").asText()).isEqualTo("POST /v3/bank/transfers");
        assertThat(line.path("Outcome").asText()).isEqualTo("2xx");
        assertThat(line.path("ShineLatency").isNumber()).isTrue();
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"Service\",\"Endpoint\",\"Outcome\"]]");
        assertThat(line.toString()).doesNotContain("access").doesNotContain("token").doesNotContain("secret");
    }

    @Test
    void aPollAnsweredWithAServerErrorIsCountedAsFiveHundredsOnThePathTemplate() {
        status = 503;

        assertThatThrownBy(() -> client(server.getAddress().getPort()).poll("ar-1"))
                .isInstanceOf(ShineException.class);

        assertThat(metrics.named("ShineCalls")).singleElement().satisfies(line -> {
            assertThat(line.path("Endpoint").asText()).isEqualTo("GET /v2/authentication/oauth2/action_request/{id}/poll");
            assertThat(line.path("Outcome").asText()).isEqualTo("5xx");
        });
    }

    @Test
    void aShineThatCannotBeReachedIsCountedAsUnreachable() {
        int port = server.getAddress().getPort();
        server.stop(0);

        assertThatThrownBy(() -> client(port).poll("ar-1")).isInstanceOf(ShineUnavailableException.class);

        assertThat(metrics.named("ShineCalls")).singleElement()
                .satisfies(line -> assertThat(line.path("Outcome").asText()).isEqualTo("unreachable"));
    }

    @Test
    void theStatusClassOfATooManyRequestsIsItsOwn() {
        assertThat(ShineHttp.statusClass(429)).isEqualTo("429");
        assertThat(ShineHttp.statusClass(404)).isEqualTo("4xx");
        assertThat(ShineHttp.statusClass(204)).isEqualTo("2xx");
    }

    private static ShineClient client(int port) {
        ShineConfig config = new ShineConfig(URI.create("http://127.0.0.1:" + port),
                new ClientCredentials("client", Secret.of("secret")), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(2), ActionRegistry.builtIn());
        return new ShineClient(config, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
                .version(HttpClient.Version.HTTP_1_1).build(), Clock.fixed(Instant.parse("2026-11-28T13:00:00Z"),
                ZoneOffset.UTC));
    }

    private static com.fasterxml.jackson.databind.JsonNode transfer() {
        return Json.MAPPER.createObjectNode().put("amount", 234).put("bankTransferRecipientId", "r").put("uid", "u");
    }
}
