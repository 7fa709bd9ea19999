package io.scaflow.local.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.sandbox.HeadlessChromium;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.sandbox.ShineSandbox;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.local.stack.LocalDeployment;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.Reconciliation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator page on a local stack, in a real headless Chromium (skipped without /usr/bin/chromium; {@code make
 * browser} installs it): the list marks an OUTCOME_UNKNOWN flow (made so by a sandbox fault), its timeline shows its
 * history and its events from an events file the test writes, and the reconciliation form, clicked, settles it as
 * the local operator without a call to Shine. Screenshots in {@code local/target/operator-page*.png} (the one in
 * docs/ is a copy of {@code operator-page.png}).
 */
@Timeout(180)
class OperatorPageBrowserTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration MAX_RUN = Duration.ofSeconds(40);

    @TempDir
    static Path work;

    private static LocalDeployment stack;
    private static ShineSandbox sandbox;
    private static OperatorServer operator;
    private static String unknownId;
    private static String waitingId;
    private static String unknownUid;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalDeployment.start(Map.of(), Optional.empty(), SandboxConfig.defaults().withPort(0));
        stack.stepFunctions().overrideWaitTimes(Map.of("WaitForUser", 200L, "WaitForRetryAfter", 200L));
        stack.stepFunctions().overrideRetryIntervals(Map.of("CreateActionRequest", 100L, "PollActionRequest", 100L,
                "ExecuteAction", 100L, "RecordFailure", 100L));
        sandbox = stack.sandbox().orElseThrow();
        unknownUid = newUser(UserPolicy.confirmAfter(0));
        sandbox.injectFault(Fault.of(Endpoint.TRANSFER, Fault.Kind.ERROR_500_PROCESSED, 1));
        unknownId = startTransfer(unknownUid, "12.34");
        awaitStatus(unknownId, s -> s == FlowStatus.OUTCOME_UNKNOWN);
        sandbox.clearFaults();
        waitingId = startTransfer(newUser(null), "56.70");
        awaitStatus(waitingId, s -> s == FlowStatus.AWAITING_CONFIRMATION);
        Path events = work.resolve("run-events.jsonl");
        Files.write(events, List.of(envelope(unknownId, 2, "EXECUTING", "CONFIRMED"), "not json",
                envelope(waitingId, 1, "PENDING", null), envelope(unknownId, 1, "CONFIRMED", "AWAITING_CONFIRMATION")),
                StandardCharsets.UTF_8);
        operator = OperatorServer.start(stack, events, 0);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void servesThePageAndTheFlowsWithoutTokensOrExternalResources() throws Exception {
        HttpResponse<String> page = get(operator.pageUrl());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("/operator/api/flows", OperatorServer.OPERATOR.userArn())
                .doesNotContain("http://", "https://");

        HttpResponse<String> flows = get(operator.pageUrl().resolve("/operator/api/flows"));
        JsonNode list = Json.MAPPER.readTree(flows.body()).path("flows");
        assertThat(list.findValuesAsText("id")).contains(unknownId, waitingId);
        assertThat(flows.body()).doesNotContain(sandbox.accessTokenOf(unknownUid)).doesNotContain("Ciphertext");

        HttpResponse<String> timeline = get(operator.pageUrl().resolve("/operator/api/flows/" + unknownId));
        JsonNode events = Json.MAPPER.readTree(timeline.body()).path("events");
        assertThat(events.findValuesAsText("status")).containsExactly("CONFIRMED", "EXECUTING");
        assertThat(get(operator.pageUrl().resolve("/operator/api/flows/no-such-flow")).statusCode()).isEqualTo(404);
    }

    /**
     * Another site's page in the operator's browser cannot reconcile through the page's server: a POST with a
     * foreign Origin is refused (403), a body not declared JSON too (415, what a cross-site page can send without a
     * preflight), before anything reaches the route; the page's own origin, or none (curl), reaches it.
     */
    @Test
    void refusesACrossSiteOrNonJsonPostBeforeItIsSignedAsTheOperator() throws Exception {
        URI reconcile = operator.pageUrl().resolve("/operator/api/flows/" + unknownId + "/reconciliation");
        String body = "{\"outcome\": \"FAILED\", \"note\": \"a cross-site form\"}";
        int entries = stack.store().get(unknownId).history().size();
        String own = "http://127.0.0.1:" + operator.pageUrl().getPort();

        HttpResponse<String> crossSiteText = post(reconcile, body, "text/plain", "https://attacker.example");
        assertThat(crossSiteText.statusCode()).as(crossSiteText.body()).isEqualTo(403);
        assertThat(post(reconcile, body, "application/json", "https://attacker.example").statusCode()).isEqualTo(403);
        assertThat(post(reconcile, body, "application/json", "null").statusCode()).isEqualTo(403);
        assertThat(post(reconcile, body, "application/json", own.replace("127.0.0.1", "127.0.0.2")).statusCode())
                .isEqualTo(403);
        HttpResponse<String> text = post(reconcile, body, "text/plain", own);
        assertThat(text.statusCode()).as(text.body()).isEqualTo(415);
        assertThat(post(reconcile, body, "application/x-www-form-urlencoded", null).statusCode()).isEqualTo(415);
        assertThat(stack.store().get(unknownId).history()).as("nothing recorded").hasSize(entries);

        // what passes reaches the route: an incomplete body is the route's own 400
        String incomplete = "{\"outcome\": \"FAILED\"}";
        HttpResponse<String> fromThePage = post(reconcile, incomplete, "application/json; charset=utf-8", own);
        assertThat(fromThePage.statusCode()).as(fromThePage.body()).isEqualTo(400);
        assertThat(fromThePage.body()).contains("note");
        assertThat(post(reconcile, incomplete, "application/json", own.replace("127.0.0.1", "localhost"))
                .statusCode()).isEqualTo(400);
        assertThat(post(reconcile, incomplete, "application/json", null).statusCode()).isEqualTo(400);
    }

    @Test
    void listsTheFlowsOpensATimelineAndReconcilesAnOutcomeUnknownFlowByClicks() throws Exception {
        assumeTrue(HeadlessChromium.available(), "no " + HeadlessChromium.BINARY + ": run make browser");
        try (HeadlessChromium chromium = HeadlessChromium.open(operator.pageUrl().toString())) {
            JsonNode rows = chromium.waitFor("Object.fromEntries([...document.querySelectorAll('#flows tbody tr')]"
                    + ".map(r => [r.dataset.id, [r.dataset.status, r.className, r.querySelectorAll('.badge').length,"
                    + " r.cells[2].textContent, r.cells[3].textContent, r.cells[5].textContent]]))",
                    v -> v.has(unknownId) && v.has(waitingId), Duration.ofSeconds(15));
            assertThat(rows.get(unknownId).toString()).isEqualTo("[\"OUTCOME_UNKNOWN\",\"unknown\",1,\"1\",\"12.34 \u20ac\",\"\"]");
            assertThat(rows.get(waitingId).get(0).asText()).isEqualTo("AWAITING_CONFIRMATION");
            assertThat(rows.get(waitingId).get(2).asInt()).as("not marked").isZero();
            assertThat(rows.get(waitingId).get(4).asText()).isEqualTo("56.70 \u20ac");

            click(chromium, "#flows tr[data-id=\"" + unknownId + "\"] button.open");
            Flow unknown = stack.store().get(unknownId);
            JsonNode history = chromium.waitFor("[...document.querySelectorAll('#history tbody tr')]"
                    + ".map(r => r.cells[1].textContent)", v -> v.size() == unknown.history().size(), Duration.ofSeconds(10));
            assertThat(history.get(history.size() - 1).asText()).isEqualTo("OUTCOME_UNKNOWN");
            assertThat(chromium.evaluate("[...document.querySelectorAll('#events tbody tr')].map(r => r.cells[0]"
                    + ".textContent + ' ' + r.cells[2].textContent)")).extracting(JsonNode::asText)
                    .containsExactly("1 AWAITING_CONFIRMATION \u2192 CONFIRMED", "2 CONFIRMED \u2192 EXECUTING");
            assertThat(chromium.evaluate("document.getElementById('reconcile').hidden").asBoolean()).isFalse();

            String transferId = sandbox.transfers().stream().filter(t -> unknownUid.equals(t.uid())).findFirst()
                    .orElseThrow().bankTransferId();
            chromium.evaluate("document.getElementById('outcome').value = 'SUCCEEDED';"
                    + "document.getElementById('transfer').value = '" + transferId + "';"
                    + "document.getElementById('note').value = 'transfer seen in Shine\\'s dashboard'; true");
            chromium.command("Emulation.setDeviceMetricsOverride", Json.MAPPER.createObjectNode().put("width", 1100)
                    .put("height", 1250).put("deviceScaleFactor", 1).put("mobile", false));
            Path screenshot = Path.of("target", "operator-page.png");
            chromium.screenshot(screenshot);
            assertThat(Files.size(screenshot)).isGreaterThan(1000);
            // the waiting flow goes on polling its own request; every other call would be the reconciliation's
            String waitingRequest = stack.store().get(waitingId).actionRequestId();
            long calls = callsBut(waitingRequest);

            click(chromium, "#reconcile button[type=submit]");
            chromium.waitFor("document.querySelector('#flows tr[data-id=\"" + unknownId + "\"]').dataset.status",
                    v -> v.asText().equals("SUCCEEDED"), Duration.ofSeconds(15));
            assertThat(chromium.evaluate("document.getElementById('form-result').textContent").asText())
                    .contains("SUCCEEDED");
            // the form hides once the timeline is reloaded, which the list's own refresh may precede
            chromium.waitFor("document.getElementById('reconcile').hidden", JsonNode::asBoolean, Duration.ofSeconds(10));
            assertThat(chromium.evaluate("document.querySelector('#flows tr[data-id=\"" + unknownId + "\"]')"
                    + ".querySelectorAll('.badge').length").asInt()).isZero();
            Flow reconciled = stack.store().get(unknownId);
            assertThat(reconciled.status()).isEqualTo(FlowStatus.SUCCEEDED);
            assertThat(reconciled.history().get(reconciled.history().size() - 1).reconciliation()).isEqualTo(
                    new Reconciliation(OperatorServer.OPERATOR.userArn(), OperatorServer.OPERATOR.principalId(),
                            "transfer seen in Shine's dashboard", transferId));
            assertThat(callsBut(waitingRequest)).as("nothing sent to Shine").isEqualTo(calls);
            chromium.screenshot(Path.of("target", "operator-page-reconciled.png"));

            click(chromium, "#flows tr[data-id=\"" + waitingId + "\"] button.open");
            chromium.waitFor("document.getElementById('timeline-id').textContent", v -> v.asText().equals(waitingId),
                    Duration.ofSeconds(10));
            chromium.waitFor("document.getElementById('timeline-status').textContent",
                    v -> v.asText().equals("AWAITING_CONFIRMATION"), Duration.ofSeconds(10));
            assertThat(chromium.evaluate("document.getElementById('reconcile').hidden").asBoolean()).isTrue();
        }
    }

    /** The sandbox's calls, but the polls of action request {@code requestId}. */
    private static long callsBut(String requestId) {
        return sandbox.calls().stream().filter(c -> !c.path().contains(requestId)).count();
    }

    private static void click(HeadlessChromium chromium, String selector) throws Exception {
        chromium.evaluate("document.querySelector('" + selector.replace("'", "\\'") + "').click(); true");
    }

    private static String newUser(UserPolicy policy) {
        String uid = "op-" + UUID.randomUUID().toString().substring(0, 8);
        sandbox.registerUser(uid, null);
        if (policy != null) {
            sandbox.setPolicy(uid, policy);
        }
        return uid;
    }

    private static String startTransfer(String uid, String amount) throws Exception {
        String body = "{\"uid\": \"" + uid + "\", \"amount\": " + amount + ", \"bankTransferRecipientId\": \"r-" + uid
                + "\", \"accessToken\": \"" + sandbox.accessTokenOf(uid) + "\"}";
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(URI.create(stack.apiEndpoint() + "/v1/transfers"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return Json.MAPPER.readTree(started.body()).path("id").asText();
    }

    private static void awaitStatus(String id, Predicate<FlowStatus> reached) throws InterruptedException {
        long deadline = System.nanoTime() + MAX_RUN.toNanos();
        while (true) {
            Optional<Flow> flow = stack.store().find(id);
            if (flow.isPresent() && reached.test(flow.get().status())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("flow " + id + " is " + flow.map(Flow::status).orElse(null));
            }
            Thread.sleep(50);
        }
    }

    /** One line of the events file, in the events helper's envelope format. */
    private static String envelope(String flowId, int sequence, String status, String previous) {
        var detail = Json.MAPPER.createObjectNode().put("flowId", flowId).put("status", status)
                .put("previousStatus", previous).put("attempt", 1).put("reminder", false).put("ended", false)
                .put("sequence", sequence).put("time", "2026-12-02T00:00:0" + sequence + ".000Z");
        var envelope = Json.MAPPER.createObjectNode().put("version", "0").put("id", UUID.randomUUID().toString())
                .put("detail-type", "Flow Status Changed").put("source", "scaflow").put("account", "123456789012")
                .put("time", "2026-12-02T00:00:0" + sequence + "Z").put("region", "eu-west-3");
        envelope.putArray("resources");
        envelope.set("detail", detail);
        return envelope.toString();
    }

    private static HttpResponse<String> post(URI uri, String body, String type, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
