package io.scaflow.local.userpath;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.local.emulator.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code make demo LAMBDA=runtime}: the whole flow (the real state machine on the local Step Functions) with every
 * step function in a JVM of its own from its {@code sam build} output, under Lambda's runtime interface client.
 */
class MakeDemoRuntimeTest {

    @Test
    void theDemoFlowSucceedsWithEveryStepRunByTheRuntimeClient() throws Exception {
        Path log = RepoRoot.find().resolve("target/demo-runtime-client.log");
        try (MakeTarget demo = MakeTarget.start("demo", List.of("LAMBDA=runtime"), Map.of())) {
            int exit = demo.awaitExit(Duration.ofMinutes(5));
            String output = demo.output();
            assertThat(exit).as(output).isZero();
            assertThat(output).contains("LAMBDA=runtime", "SUCCEEDED", "done: the flow ended SUCCEEDED as expected");
        }
        // each step's JVM started and logged its Shine call there
        String functions = Files.readString(log);
        for (String function : List.of("CreateActionRequestFunction", "PollActionRequestFunction",
                "ExecuteActionFunction")) {
            assertThat(functions).contains("[" + function + "] Picked up JAVA_TOOL_OPTIONS");
        }
        assertThat(functions).contains("[ExecuteActionFunction] {").contains("\"message\":\"shine call\"");
    }
}
