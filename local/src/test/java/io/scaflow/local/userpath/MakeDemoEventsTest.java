package io.scaflow.local.userpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code make demo} as typed: the flow it starts (its id printed) ends SUCCEEDED and its status events are in
 * {@code target/run-events.jsonl}, as the README says: five, in the order of their sequence, with no token.
 */
class MakeDemoEventsTest {

    @Test
    void theDemoFlowsStatusEventsAreWrittenToTheRunEventsFile() throws Exception {
        Path file = RepoRoot.find().resolve("target/run-events.jsonl");
        String output;
        try (MakeTarget demo = MakeTarget.start("demo", List.of(), Map.of())) {
            int exit = demo.awaitExit(Duration.ofMinutes(4));
            output = demo.output();
            assertThat(exit).as(output).isZero();
        }
        Matcher started = Pattern.compile("starting flow (demo-[0-9a-f-]+)").matcher(output);
        assertThat(started.find()).as(output).isTrue();
        String flowId = started.group(1);
        assertThat(output).contains("5 status events of the flow on the bus", "target/run-events.jsonl");

        List<JsonNode> events = RunEventsTest.eventsOf(file, flowId);
        assertThat(events).extracting(e -> e.path("detail").path("status").asText())
                .containsExactly("PENDING", "AWAITING_CONFIRMATION", "CONFIRMED", "EXECUTING", "SUCCEEDED");
        assertThat(events).extracting(e -> e.path("detail").path("sequence").asInt()).containsExactly(1, 2, 3, 4, 5);
        assertThat(events).allSatisfy(e -> assertThat(e.path("detail-type").asText()).isEqualTo("Flow Status Changed"));
        assertThat(Files.readString(file)).doesNotContain(SandboxConfig.ACCESS_TOKEN_PREFIX)
                .doesNotContain(SandboxConfig.defaults().clientSecret()).doesNotContain("Ciphertext");
    }
}
