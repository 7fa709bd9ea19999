package io.scaflow.local.userpath;

import static io.scaflow.local.userpath.UserPaths.await;
import static io.scaflow.local.userpath.UserPaths.awaitEnded;
import static io.scaflow.local.userpath.UserPaths.freePort;
import static io.scaflow.local.userpath.UserPaths.send;
import static io.scaflow.local.userpath.UserPaths.startReadmeTransfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.sandbox.HeadlessChromium;
import io.scaflow.local.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The status events under {@code make run}, as a user sees them: a transfer started with the README's curl and
 * confirmed on the sandbox's page (clicked in headless Chromium; where none is installed, the request the page's
 * Confirm button sends) leaves its five status events in {@code target/run-events.jsonl}, one EventBridge envelope
 * a line, in the order of their sequence, without the user's access token or the client secret.
 */
class RunEventsTest {

    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration FLOW = Duration.ofMinutes(2);
    private static final Set<String> ENVELOPE = Set.of("version", "id", "detail-type", "source", "account", "time",
            "region", "resources", "detail");

    @Test
    void aTransferStartedWithTheReadmeCurlAndConfirmedOnThePageLeavesItsFiveStatusEvents() throws Exception {
        int apiPort = freePort();
        int sandboxPort = freePort();
        String uid = "run-events-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = RepoRoot.find().resolve("target/run-events.jsonl");

        try (MakeTarget run = MakeTarget.start("run", List.of("API_PORT=" + apiPort, "SANDBOX_PORT=" + sandboxPort,
                "OPERATOR_PORT=" + freePort()),
                Map.of())) {
            run.awaitOutput("scaflow is running", START);
            assertThat(run.output()).contains("target/run-events.jsonl");
            String api = "http://127.0.0.1:" + apiPort + "/live";
            URI sandbox = URI.create("http://127.0.0.1:" + sandboxPort);

            // the README's quick start, USER_ID replaced
            String id = startReadmeTransfer(api, uid, SandboxConfig.ACCESS_TOKEN_PREFIX + uid);
            confirmOnThePage(sandbox, uid);
            JsonNode ended = awaitEnded(api, id, FLOW);
            assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");

            List<JsonNode> events = await("the last status event of " + id + " in " + file, FLOW, () -> {
                List<JsonNode> mine = eventsOf(file, id);
                return mine.stream().anyMatch(e -> e.path("detail").path("ended").asBoolean())
                        ? Optional.of(mine) : Optional.empty();
            });

            assertThat(events).allSatisfy(e -> {
                assertThat(e.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(ENVELOPE);
                assertThat(e.path("source").asText()).isEqualTo("scaflow");
                assertThat(e.path("detail-type").asText()).isEqualTo("Flow Status Changed");
            });
            assertThat(events).extracting(e -> e.path("detail").path("status").asText())
                    .containsExactly("PENDING", "AWAITING_CONFIRMATION", "CONFIRMED", "EXECUTING", "SUCCEEDED");
            assertThat(events).extracting(e -> e.path("detail").path("sequence").asInt())
                    .containsExactly(1, 2, 3, 4, 5);
            String all = Files.readString(file);
            assertThat(all).doesNotContain(SandboxConfig.ACCESS_TOKEN_PREFIX)
                    .doesNotContain(SandboxConfig.defaults().clientSecret()).doesNotContain("Ciphertext");
        }
    }

    /** The user's answer on the sandbox's page: its Confirm button on the row of the uid's request. */
    private static void confirmOnThePage(URI sandbox, String uid) throws Exception {
        String rows = "[...document.querySelectorAll('#pending tbody tr')].filter(r => [...r.children]"
                + ".some(c => c.textContent === '" + uid + "')).map(r => r.dataset.id)";
        if (!HeadlessChromium.available()) {
            String requestId = await("the action request of " + uid, FLOW, () -> pendingRequestOf(sandbox, uid));
            assertThat(send("POST", sandbox.resolve("/sandbox/action_requests/" + requestId + "/confirm"), null,
                    Map.of()).statusCode()).isEqualTo(200);
            return;
        }
        try (HeadlessChromium chromium = HeadlessChromium.open(sandbox + "/")) {
            JsonNode ids = chromium.waitFor(rows, value -> value.size() > 0, FLOW);
            chromium.evaluate("document.querySelector('button.confirm[data-id=\"" + ids.get(0).asText()
                    + "\"]').click()");
            chromium.waitFor("[...document.querySelectorAll('#answered tbody tr')].map(r => r.dataset.id)",
                    value -> value.toString().contains(ids.get(0).asText()), FLOW);
        }
    }

    static Optional<String> pendingRequestOf(URI sandbox, String uid) {
        JsonNode all = UserPaths.json(send("GET", sandbox.resolve("/sandbox/action_requests"), null, Map.of()));
        for (JsonNode request : all.path("data")) {
            if (uid.equals(request.path("uid").asText()) && "PENDING".equals(request.path("status").asText())) {
                return Optional.of(request.path("id").asText());
            }
        }
        return Optional.empty();
    }

    /** The flow's events in the file, in the file's order. */
    static List<JsonNode> eventsOf(Path file, String flowId) {
        List<JsonNode> events = new ArrayList<>();
        try {
            if (!Files.exists(file)) {
                return events;
            }
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event;
                try {
                    event = Json.MAPPER.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException partial) {
                    continue;   // the last line, while it is being written
                }
                if (flowId.equals(event.path("detail").path("flowId").asText())) {
                    events.add(event);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
