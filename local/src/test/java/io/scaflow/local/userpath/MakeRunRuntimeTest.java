package io.scaflow.local.userpath;

import static io.scaflow.local.userpath.UserPaths.await;
import static io.scaflow.local.userpath.UserPaths.awaitEnded;
import static io.scaflow.local.userpath.UserPaths.curl;
import static io.scaflow.local.userpath.UserPaths.freePort;
import static io.scaflow.local.userpath.UserPaths.startReadmeTransfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code make run LAMBDA=runtime} as typed: every function in a JVM of its own under Lambda's runtime interface
 * client; one transfer started with the README's curl and confirmed through the sandbox's control API (the
 * README's curl for it) ends SUCCEEDED.
 */
class MakeRunRuntimeTest {

    @Test
    void aTransferStartedWithTheReadmeCurlSucceedsWithEveryFunctionInItsOwnJvm() throws Exception {
        int apiPort = freePort();
        int sandboxPort = freePort();
        String uid = "runtime-" + UUID.randomUUID().toString().substring(0, 8);
        try (MakeTarget run = MakeTarget.start("run", List.of("LAMBDA=runtime", "API_PORT=" + apiPort,
                "SANDBOX_PORT=" + sandboxPort, "OPERATOR_PORT=" + freePort()), Map.of())) {
            run.awaitOutput("scaflow is running", Duration.ofMinutes(5));
            assertThat(run.output()).contains("LAMBDA=runtime");
            String api = "http://127.0.0.1:" + apiPort + "/live";
            URI sandbox = URI.create("http://127.0.0.1:" + sandboxPort);

            String id = startReadmeTransfer(api, uid, "sandbox-access-token-" + uid);
            String request = await("the action request of " + uid, Duration.ofMinutes(2),
                    () -> RunEventsTest.pendingRequestOf(sandbox, uid));
            curl("-X", "POST", sandbox + "/sandbox/action_requests/" + request + "/confirm");

            JsonNode ended = awaitEnded(api, id, Duration.ofMinutes(3));
            assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
            assertThat(UserPaths.transfersByUid(sandbox)).containsEntry(uid, 1);
        }
    }
}
