package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.store.FlowStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile requests over real HTTP (a plain socket, byte for byte) to the API of one {@link LocalDeployment}: deep
 * nesting, huge numbers, wrong content types, control characters and repeats in the headers the API reads, odd
 * ids, bodies over the function's MAX_BODY_BYTES, over Lambda's 6 MB and over API Gateway's 10 MB. The function
 * answers each with a 4xx problem document (field, reason, code); what never reaches it gets API Gateway's own
 * 4xx. Afterwards the stack still runs a transfer to SUCCEEDED.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiHostileHttpTest {

    private static final String JSON = "Content-Type: application/json";

    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast();
    private static final E2eDriver driver = STACK.driver();
    private static URI api;

    @BeforeAll
    static void start() {
        api = driver.stack().apiEndpoint();
    }

    @Test
    @Order(1)
    void hostileBodiesGetAProblemDocumentFromTheFunction() {
        String deep = "{\"uid\": " + "[".repeat(5_000) + "1" + "]".repeat(5_000)
                + ", \"amount\": 1, \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}";
        assertProblem(post("/v1/transfers", List.of(JSON), deep), 400, "malformed-json", "body");
        assertProblem(post("/v1/actions", List.of(JSON), "{\"payload\": " + "{\"a\":".repeat(2_000) + "1"
                + "}".repeat(2_000) + "}"), 400, "malformed-json", "body");
        assertProblem(post("/v1/transfers", List.of(JSON), transfer("u-1", "1e999999")), 400, "invalid-input", "amount");
        assertProblem(post("/v1/transfers", List.of(JSON), transfer("u-1", "9".repeat(400))), 400, "invalid-input", "amount");
        assertProblem(post("/v1/transfers", List.of(JSON), transfer("u-1", "1." + "1".repeat(500))),
                400, "invalid-input", "amount");
        assertProblem(post("/v1/transfers", List.of(JSON), transfer("u-1", "9".repeat(1_500))), 400, "malformed-json", "body");
        assertProblem(post("/v1/transfers", List.of(JSON), "{\"uid\": NaN}"), 400, "malformed-json", "body");
        assertProblem(post("/v1/transfers", List.of(JSON), "\uFEFF{}"), 400, "malformed-json", "body");
        assertProblem(post("/v1/transfers", List.of(JSON), "{\"uid\": \"" + "x".repeat(20_000) + "\"}"),
                413, "body-too-large", "body");
        assertProblem(post("/v1/transfers", List.of(JSON), ""), 400, "malformed-json", "body");
        assertStillServes();
    }

    @Test
    @Order(2)
    void bodiesThatAreNotDeclaredJsonAre415() {
        String body = transfer("u-1", "10");
        for (List<String> headers : List.of(List.of("Content-Type: text/plain"), List.<String>of(),
                List.of("Content-Type: application/x-www-form-urlencoded"), List.of("Content-Type: application/merge-patch+json"),
                List.of("Content-Type: application/json; charset=iso-8859-1"), List.of("Content-Type:"),
                List.of(JSON, "Content-Type: text/plain"))) {
            RawHttp.Answer answer = post("/v1/transfers", headers, body);
            assertProblem(answer, 415, "unsupported-media-type", "Content-Type");
            assertThat(answer.header("Accept")).isEqualTo("application/json");
        }
        assertThat(post("/v1/transfers", List.of("Content-Type: Application/JSON; Charset=\"UTF-8\""),
                transfer(driver.newUser("ct"), "10")).status()).isEqualTo(202);
        assertStillServes();
    }

    @Test
    @Order(3)
    void controlCharactersAndRepeatsInTheHeadersTheApiReadsAre4xx() {
        String body = transfer("u-1", "10");
        // (a tab, or spaces around the value, are left out: the JDK server hands a tab over as a space and trims the
        // value, as HTTP says; the unit tests send them to the function)
        for (String key : List.of("k\u00011", "k\u007f1", "k\u001b[31m", "clé-1", "k".repeat(256))) {
            RawHttp.Answer answer = post("/v1/transfers", List.of(JSON, "Idempotency-Key: " + key), body);
            assertThat(answer.status()).as("Idempotency-Key %s: %s", key, answer).isBetween(400, 499);
            if (answer.header("Content-Type") != null && answer.header("Content-Type").equals("application/problem+json")) {
                assertProblem(answer, 400, "invalid-input", "Idempotency-Key");
            }
            assertThat(answer.headers()).noneMatch(h -> h.toLowerCase().startsWith("idempotency-key"));
        }
        assertProblem(post("/v1/transfers", List.of(JSON, "Idempotency-Key: k-1", "Idempotency-Key: k-2"), body),
                400, "invalid-input", "Idempotency-Key");
        assertProblem(post("/v1/transfers", List.of(JSON, "Idempotency-Key:"), body), 400, "invalid-input", "Idempotency-Key");
        // an obsolete line folding: the server joins it to the key's value ("k-1 X-Injected: 1", a valid key)
        RawHttp.Answer folded = post("/v1/transfers", List.of(JSON, "Idempotency-Key: k-1", " X-Injected: 1"), body);
        assertThat(folded.status()).as(folded.toString()).isLessThan(500);
        assertThat(folded.headers()).noneMatch(h -> h.toLowerCase().startsWith("x-injected"));
        assertStillServes();
    }

    @Test
    @Order(4)
    void oddIdsAreNotFoundAndTraversalNeverLeavesTheRoutes() {
        for (String id : List.of("..", ".", "%2e%2e", "%2E%2E%2F", "a%2Fb", "..%2F..%2Fetc%2Fpasswd", "%00",
                "k".repeat(10_000), "%F0%9F%98%80", "fl%C3%BCss", "%0D%0AX-Injected:%201", "*", "~", "'")) {
            for (String method : List.of("GET", "DELETE")) {
                RawHttp.Answer answer = RawHttp.send(api, method, "/v1/actions/" + id, List.of(), (byte[]) null);
                assertProblem(answer, 404, "not-found", "id");
                assertThat(answer.headers()).noneMatch(h -> h.toLowerCase().startsWith("x-injected"));
            }
        }
        for (String path : List.of("/v1/actions/../../etc/passwd", "/v1/actions/a/b", "/v1/../v1/actions", "/v1/actions/")) {
            RawHttp.Answer answer = RawHttp.send(api, "GET", path, List.of(), (byte[]) null);
            assertThat(answer.status()).as(path + ": " + answer).isEqualTo(403);
            assertThat(json(answer).get("message").asText()).isEqualTo("Missing Authentication Token");
        }
        // not a URI at all: the local server refuses it before the gateway sees it (400, not a problem document)
        assertThat(RawHttp.send(api, "GET", "/v1/actions/%ZZ", List.of(), (byte[]) null).status()).isBetween(400, 499);
        assertStillServes();
    }

    @Test
    @Order(5)
    void bodiesPastLambdasAndApiGatewaysLimitsGetApiGatewaysAnswers() {
        byte[] sevenMegabytes = ("{\"uid\": \"" + "x".repeat(7 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer overLambda = RawHttp.send(api, "POST", "/v1/transfers", List.of(JSON), sevenMegabytes);
        assertThat(overLambda.status()).as(overLambda.toString()).isEqualTo(413);
        assertThat(overLambda.header("Content-Type")).isEqualTo("application/json");
        assertThat(overLambda.header("x-amzn-ErrorType")).isEqualTo("BadRequestException");
        assertThat(json(overLambda).get("message").asText()).isEqualTo("Request Too Long");

        byte[] elevenMegabytes = new byte[11 * 1024 * 1024];
        java.util.Arrays.fill(elevenMegabytes, (byte) ' ');
        RawHttp.Answer overGateway = RawHttp.send(api, "POST", "/v1/transfers", List.of(JSON), elevenMegabytes);
        assertThat(overGateway.status()).as(overGateway.toString()).isEqualTo(413);
        assertThat(overGateway.body()).isEqualTo("HTTP content length exceeded 10485760 bytes.");
        assertStillServes();
    }

    @Test
    @Order(100)
    void afterAllThatTheStackStillRunsATransferToSucceeded() {
        String uid = driver.newUser("after", UserPolicy.confirmAfter(200));
        RawHttp.Answer started = post("/v1/transfers", List.of(JSON, "Idempotency-Key: after-" + uid),
                transferWithToken(uid, "42.10", driver.sandbox().accessTokenOf(uid)));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String id = json(started).get("id").asText();

        driver.awaitFlow(id, flow -> flow.status() == FlowStatus.SUCCEEDED, Duration.ofSeconds(30));
        RawHttp.Answer done = RawHttp.send(api, "GET", "/v1/actions/" + id, List.of(), (byte[]) null);
        assertThat(done.status()).isEqualTo(200);
        assertThat(json(done).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(driver.transfersOf(uid)).hasSize(1);
    }

    // -------------------------------------------------------------------------------------------------- helpers

    /** A quick check after each group: a transfer is accepted and readable. */
    private static void assertStillServes() {
        String uid = driver.newUser("serves");
        RawHttp.Answer started = post("/v1/transfers", List.of(JSON), transferWithToken(uid, "1", "t-" + uid));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String id = json(started).get("id").asText();
        assertThat(RawHttp.send(api, "GET", "/v1/actions/" + id, List.of(), (byte[]) null).status()).isEqualTo(200);
        assertThat(RawHttp.send(api, "DELETE", "/v1/actions/" + id, List.of(), (byte[]) null).status()).isEqualTo(200);
    }

    private static RawHttp.Answer post(String path, List<String> headers, String body) {
        return RawHttp.send(api, "POST", path, headers, body);
    }

    private static String transfer(String uid, String amount) {
        return transferWithToken(uid, amount, "t");
    }

    private static String transferWithToken(String uid, String amount, String token) {
        return "{\"uid\": \"" + uid + "\", \"amount\": " + amount + ", \"bankTransferRecipientId\": \"r-1\", "
                + "\"accessToken\": \"" + token + "\"}";
    }

    private static JsonNode json(RawHttp.Answer answer) {
        try {
            return Json.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + answer, e);
        }
    }

    private static void assertProblem(RawHttp.Answer answer, int status, String code, String field) {
        String shown = answer.status() + " " + answer.headers() + " " + shorten(answer.body());
        assertThat(answer.status()).as(shown).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(shown).isEqualTo("application/problem+json");
        JsonNode problem = json(answer);
        assertThat(problem.path("code").asText()).as(shown).isEqualTo(code);
        assertThat(problem.path("type").asText()).isEqualTo("https://scaflow.dev/problems/" + code);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> {
            assertThat(e.path("reason").asText()).isNotBlank();
            fields.add(e.path("field").asText());
        });
        assertThat(fields).as(shown).contains(field);
    }

    private static String shorten(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
