package io.scaflow.local.userpath;

import static io.scaflow.local.userpath.UserPaths.awaitEnded;
import static io.scaflow.local.userpath.UserPaths.confirmAfter;
import static io.scaflow.local.userpath.UserPaths.freePort;
import static io.scaflow.local.userpath.UserPaths.startReadmeTransfer;
import static io.scaflow.local.userpath.UserPaths.transfersByUid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.SandboxConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * scaflow pointed at a Shine of its own, as the README tells a user: the Shine sandbox started by {@code make
 * sandbox} in its own process on a free port stands for that Shine, and {@code make demo} and {@code make run} run
 * as processes with {@code SHINE_API_BASE_URL}, {@code SHINE_CLIENT_ID}, {@code SHINE_CLIENT_SECRET} and
 * {@code --access-token}. Each flow ends SUCCEEDED with exactly one transfer at that Shine.
 */
class ExternalShineTest {

    private static final Duration START = Duration.ofMinutes(3);

    private static MakeTarget shine;
    private static URI shineUrl;
    private static Map<String, String> shineEnvironment;

    @BeforeAll
    static void startShine() throws InterruptedException {
        int port = freePort();
        shine = MakeTarget.start("sandbox", List.of("SANDBOX_PORT=" + port), Map.of());
        shine.awaitOutput("Shine sandbox listening on", START);
        shineUrl = URI.create("http://127.0.0.1:" + port);
        SandboxConfig defaults = SandboxConfig.defaults();
        shineEnvironment = Map.of("SHINE_API_BASE_URL", shineUrl.toString(),
                "SHINE_CLIENT_ID", defaults.clientId(), "SHINE_CLIENT_SECRET", defaults.clientSecret());
    }

    @AfterAll
    static void stopShine() {
        if (shine != null) {
            shine.close();
        }
    }

    @Test
    void makeDemoRunsATransferAtTheShineItIsGiven() throws InterruptedException {
        String uid = "ext-demo-" + UUID.randomUUID().toString().substring(0, 8);
        confirmAfter(shineUrl, uid, 1500);

        try (MakeTarget demo = MakeTarget.start("demo", List.of("ARGS=--uid " + uid + " --access-token "
                + SandboxConfig.ACCESS_TOKEN_PREFIX + uid), shineEnvironment)) {
            int exit = demo.awaitExit(START);
            String output = demo.output();

            assertThat(exit).as(output).isZero();
            assertThat(output).contains("Shine at " + shineUrl, "the user answers in Shine's app",
                    "done: the flow ended SUCCEEDED");
            assertThat(output).doesNotContain("Shine sandbox", "simulated user", SandboxConfig.ACCESS_TOKEN_PREFIX);
        }
        assertThat(transfersByUid(shineUrl)).containsEntry(uid, 1);
    }

    @Test
    void makeRunServesTheReadmeQuickStartAgainstTheShineItIsGiven() throws InterruptedException, IOException {
        String uid = "ext-run-" + UUID.randomUUID().toString().substring(0, 8);
        confirmAfter(shineUrl, uid, 1500);
        int apiPort = freePort();

        try (MakeTarget run = MakeTarget.start("run", List.of("API_PORT=" + apiPort), shineEnvironment)) {
            run.awaitOutput("scaflow is running", START);
            assertThat(run.output()).contains("the API given by SHINE_API_BASE_URL").doesNotContain("Shine sandbox:");
            String api = "http://127.0.0.1:" + apiPort + "/live";

            // the README's quick start, USER_ID replaced
            String id = startReadmeTransfer(api, uid, SandboxConfig.ACCESS_TOKEN_PREFIX + uid);
            JsonNode ended = awaitEnded(api, id, Duration.ofMinutes(2));

            assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
            assertThat(ended.toString()).doesNotContain(SandboxConfig.ACCESS_TOKEN_PREFIX);
        }
        assertThat(transfersByUid(shineUrl)).containsEntry(uid, 1);
    }
}
