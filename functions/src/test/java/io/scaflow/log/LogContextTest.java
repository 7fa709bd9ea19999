package io.scaflow.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.testing.TestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every line of an invocation carries its request id, function, cold start flag and flow id; none outside it. */
class LogContextTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream previous;

    @BeforeEach
    void capture() {
        previous = Log.redirect(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        Log.redirect(previous);
    }

    @Test
    void linesOfAnInvocationCarryItsContextAndTheFlowIdOnceKnown() throws Exception {
        Log log = Log.of(LogContextTest.class);
        try (LogContext.Scope scope = LogContext.begin(new TestContext(1000), "Fallback", true)) {
            log.info("before the flow is known");
            LogContext.flowId("f-1");
            log.info("after", "status", "PENDING");
        }
        log.info("outside");

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).path("requestId").asText()).isEqualTo("test-request");
        assertThat(lines.get(0).path("function").asText()).isEqualTo("test");
        assertThat(lines.get(0).path("coldStart").asBoolean()).isTrue();
        assertThat(lines.get(0).has("flowId")).isFalse();
        assertThat(lines.get(1).path("flowId").asText()).isEqualTo("f-1");
        assertThat(lines.get(1).path("status").asText()).isEqualTo("PENDING");
        assertThat(lines.get(2).has("requestId")).isFalse();
        assertThat(lines.get(2).has("coldStart")).isFalse();
    }

    @Test
    void withoutALambdaContextTheFunctionIsTheFallbackAndThereIsNoRequestId() throws Exception {
        try (LogContext.Scope scope = LogContext.begin(null, "Fallback", false)) {
            Log.of(LogContextTest.class).info("line");
        }

        JsonNode line = lines().get(0);
        assertThat(line.has("requestId")).isFalse();
        assertThat(line.path("function").asText())
                .isEqualTo(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "Fallback"));
        assertThat(line.path("coldStart").asBoolean()).isFalse();
    }

    @Test
    void aWrappedTaskCarriesTheContextToAnotherThread() throws Exception {
        Runnable task;
        try (LogContext.Scope scope = LogContext.begin(new TestContext(1000), "Fallback", false)) {
            LogContext.flowId("f-2");
            task = LogContext.wrap(() -> Log.of(LogContextTest.class).info("from a pool thread"));
        }
        Thread thread = new Thread(task);
        thread.start();
        thread.join();

        JsonNode line = lines().get(0);
        assertThat(line.path("flowId").asText()).isEqualTo("f-2");
        assertThat(line.path("requestId").asText()).isEqualTo("test-request");
    }

    @Test
    void theColdStartIsTheFirstInvocationOnly() {
        LogContext.ColdStart coldStart = new LogContext.ColdStart();

        assertThat(List.of(coldStart.next(), coldStart.next(), coldStart.next())).containsExactly(true, false, false);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.MAPPER.readTree(line));
            }
        }
        return lines;
    }
}
