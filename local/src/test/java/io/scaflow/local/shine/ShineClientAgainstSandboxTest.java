package io.scaflow.local.shine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.sandbox.ShineSandbox;
import io.scaflow.log.Log;
import io.scaflow.core.ActionRegistry;
import io.scaflow.shine.ActionRequest;
import io.scaflow.shine.ActionRequestStatus;
import io.scaflow.shine.ActionResult;
import io.scaflow.shine.ClientCredentials;
import io.scaflow.core.Secret;
import io.scaflow.shine.ShineClient;
import io.scaflow.shine.ShineClientException;
import io.scaflow.shine.ShineConfig;
import io.scaflow.shine.ShineMalformedResponseException;
import io.scaflow.shine.ShineOutcomeUnknownException;
import io.scaflow.shine.ShineRateLimitedException;
import io.scaflow.shine.ShineUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Shine client over real HTTP against the sandbox: the happy path and every failure class. */
class ShineClientAgainstSandboxTest {
    private PrintStream previousLog;

    private static final String UID = "user-1";
    private static ShineSandbox sandbox;

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final List<String> secretsSeen = new ArrayList<>();
    private ShineClient client;

    @BeforeAll
    static void startSandbox() {
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0));
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void setUp() {
        sandbox.reset();
        previousLog = Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        client = client(sandbox.baseUrl(), sandbox.clientSecret(), Duration.ofSeconds(2));
        secretsSeen.add(sandbox.clientSecret());
        secretsSeen.add(sandbox.accessTokenOf(UID));
    }

    @AfterEach
    void noSecretWasLogged() {
        Log.redirect(previousLog);
        String logged = logs.toString(StandardCharsets.UTF_8);
        for (String secret : secretsSeen) {
            assertThat(logged).doesNotContain(secret);
        }
    }

    @Test
    void runsTheWholeDocumentedFlow() {
        ActionRequest created = client.createActionRequest(ActionRegistry.BANK_TRANSFER, UID, transfer("234.50"));
        assertThat(created.status()).isEqualTo(ActionRequestStatus.PENDING);
        assertThat(created.expiresAt()).isAfter(created.createdAt());
        assertThat(created.payload().get("amount").decimalValue()).isEqualTo("234.50");

        assertThat(client.poll(created.id()).status()).isEqualTo(ActionRequestStatus.PENDING);
        sandbox.confirm(created.id());
        ActionRequest confirmed = client.poll(created.id());
        assertThat(confirmed.status()).isEqualTo(ActionRequestStatus.CONFIRMED);
        Secret token = confirmed.token().orElseThrow();
        secretsSeen.add(token.reveal());

        ActionResult result = client.execute(ActionRegistry.BANK_TRANSFER, created.payload(),
                Secret.of(sandbox.accessTokenOf(UID)), token);
        assertThat(result.httpStatus()).isEqualTo(201);
        assertThat(sandbox.transfers()).hasSize(1);

        assertThatThrownBy(() -> client.execute(ActionRegistry.BANK_TRANSFER, created.payload(),
                Secret.of(sandbox.accessTokenOf(UID)), token))
                .isInstanceOfSatisfying(ShineClientException.class, e -> assertThat(e.httpStatus()).isBetween(400, 499))
                .satisfies(this::holdsNoSecret);
        assertThat(sandbox.transfers()).hasSize(1);
    }

    @Test
    void reportsRejection() {
        ActionRequest created = client.createActionRequest(ActionRegistry.BANK_TRANSFER, UID, transfer("10"));
        sandbox.reject(created.id());

        assertThat(client.poll(created.id()).status()).isEqualTo(ActionRequestStatus.REJECTED);
    }

    @Test
    void refusalsAreDefiniteClientErrorsWithShinesMessage() {
        assertThatThrownBy(() -> client(sandbox.baseUrl(), "wrong-secret", Duration.ofSeconds(2))
                .createActionRequest(ActionRegistry.BANK_TRANSFER, UID, transfer("10")))
                .isInstanceOfSatisfying(ShineClientException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.retryable()).isFalse();
                })
                .satisfies(this::holdsNoSecret);
        assertThatThrownBy(() -> client.poll("no-such-request"))
                .isInstanceOfSatisfying(ShineClientException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
        assertThatThrownBy(() -> client.createActionRequest(ActionRegistry.BANK_TRANSFER, UID,
                Json.MAPPER.createObjectNode().put("amount", -3)))
                .isInstanceOfSatisfying(ShineClientException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.shineMessage()).isNotEmpty();
                });
    }

    @Test
    void rateLimitingCarriesRetryAfter() {
        sandbox.injectFault(Fault.retryAfter(Endpoint.CREATE, Fault.Kind.RATE_LIMIT, 1, 7));

        assertThatThrownBy(() -> client.createActionRequest(ActionRegistry.BANK_TRANSFER, UID, transfer("10")))
                .isInstanceOfSatisfying(ShineRateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(client.createActionRequest(ActionRegistry.BANK_TRANSFER, UID, transfer("10")).status())
                .isEqualTo(ActionRequestStatus.PENDING);
    }

    @Test
    void serverErrorsAndTimeoutsAreTransientBeforeAnAction() {
        sandbox.injectFault(Fault.of(Endpoint.CREATE, Fault.Kind.ERROR_503, 1));
        assertThatThrownBy(() -> client.createActionRequest(ActionRegistry.BANK_TRANSFER, UID, transfer("10")))
                .isInstanceOf(ShineUnavailableException.class).hasMessageContaining("503");

        ActionRequest created = client.createActionRequest(ActionRegistry.BANK_TRANSFER, UID, transfer("10"));
        sandbox.injectFault(Fault.delay(Endpoint.POLL, 1, 1500));
        ShineClient impatient = client(sandbox.baseUrl(), sandbox.clientSecret(), Duration.ofMillis(300));
        assertThatThrownBy(() -> impatient.poll(created.id()))
                .isInstanceOf(ShineUnavailableException.class).hasMessageContaining("no answer within 300 ms")
                .satisfies(this::holdsNoSecret);
    }

    @Test
    void aClosedPortMeansNothingWasSentEvenForAnAction() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ShineClient nowhere = client("http://127.0.0.1:" + closedPort, "s", Duration.ofSeconds(1));

        assertThatThrownBy(() -> nowhere.execute(ActionRegistry.BANK_TRANSFER, transfer("10"),
                Secret.of("access"), Secret.of("token")))
                .isInstanceOf(ShineUnavailableException.class).hasMessageContaining("could not connect");
    }

    @Test
    void anActionWithoutAnAnswerHasAnUnknownOutcome() {
        Secret token = confirmedToken("12.30");
        sandbox.injectFault(Fault.delay(Endpoint.TRANSFER, 1, 1500));
        ShineClient impatient = client(sandbox.baseUrl(), sandbox.clientSecret(), Duration.ofMillis(300));

        assertThatThrownBy(() -> impatient.execute(ActionRegistry.BANK_TRANSFER, transfer("12.30"),
                Secret.of(sandbox.accessTokenOf(UID)), token))
                .isInstanceOf(ShineOutcomeUnknownException.class).hasMessageContaining("may have been done")
                .satisfies(this::holdsNoSecret);
    }

    @Test
    void anActionAnsweredWithServerErrorHasAnUnknownOutcome() {
        Secret first = confirmedToken("5");
        sandbox.injectFault(Fault.of(Endpoint.TRANSFER, Fault.Kind.ERROR_500, 1));
        assertThatThrownBy(() -> client.execute(ActionRegistry.BANK_TRANSFER, transfer("5"),
                Secret.of(sandbox.accessTokenOf(UID)), first))
                .isInstanceOf(ShineOutcomeUnknownException.class).hasMessageContaining("HTTP 500");
    }

    @Test
    void anActionAnsweredTwoHundredWithGarbageWasDone() {
        Secret token = confirmedToken("6");
        sandbox.injectFault(Fault.of(Endpoint.TRANSFER, Fault.Kind.MALFORMED, 1));

        ActionResult result = client.execute(ActionRegistry.BANK_TRANSFER, transfer("6"),
                Secret.of(sandbox.accessTokenOf(UID)), token);

        assertThat(result.httpStatus()).isEqualTo(201);
        assertThat(result.shape()).isEqualTo(ActionResult.Shape.UNREADABLE);
        assertThat(sandbox.transfers()).hasSize(1);
    }

    @Test
    void aMalformedPollAnswerNamesTheProblem() {
        ActionRequest created = client.createActionRequest(ActionRegistry.BANK_TRANSFER, UID, transfer("10"));
        sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.MALFORMED, 1));

        assertThatThrownBy(() -> client.poll(created.id()))
                .isInstanceOf(ShineMalformedResponseException.class).hasMessageContaining("not JSON");
    }

    @Test
    void refusesAnIdThatWouldChangeThePath() {
        assertThatThrownBy(() -> client.poll("../../v3/bank/transfers"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sandbox.calls()).isEmpty();
    }

    private Secret confirmedToken(String amount) {
        ActionRequest created = client.createActionRequest(ActionRegistry.BANK_TRANSFER, UID, transfer(amount));
        sandbox.confirm(created.id());
        Secret token = client.poll(created.id()).token().orElseThrow();
        secretsSeen.add(token.reveal());
        return token;
    }

    private void holdsNoSecret(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            for (String secret : secretsSeen) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
            }
        }
    }

    private static JsonNode transfer(String amount) {
        return Json.MAPPER.createObjectNode()
                .put("amount", new java.math.BigDecimal(amount))
                .put("bankTransferRecipientId", "recipient-1")
                .put("uid", UID);
    }

    private static ShineClient client(String baseUrl, String secret, Duration requestTimeout) {
        return new ShineClient(new ShineConfig(URI.create(baseUrl),
                new ClientCredentials(SandboxConfig.DEFAULT_CLIENT_ID, Secret.of(secret)),
                Duration.ofSeconds(1), requestTimeout, ActionRegistry.builtIn()));
    }
}
