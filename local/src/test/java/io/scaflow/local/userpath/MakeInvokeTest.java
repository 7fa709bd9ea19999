package io.scaflow.local.userpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code make invoke FUNCTION=... EVENT=events/...} as a user types it: the function in its own JVM from its
 * {@code sam build} output under Lambda's runtime interface client, against the local emulators; its result (or its
 * error as Lambda reports it) alone on stdout, the logs on stderr, the exit status saying which.
 */
class MakeInvokeTest {

    private static final Duration LIMIT = Duration.ofMinutes(4);

    @Test
    void printsThePollStepsResultOnStdoutAndExitsZero() throws Exception {
        try (MakeTarget make = MakeTarget.startSeparated("invoke", List.of("FUNCTION=PollActionRequestFunction",
                "EVENT=events/poll-action-request.json"), Map.of())) {
            int exit = make.awaitExit(LIMIT);
            assertThat(exit).as(make.errors()).isZero();
            JsonNode result = Json.MAPPER.readTree(make.output());
            assertThat(result.get("flowId").asText()).isEqualTo("flow-0001");
            assertThat(result.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
            assertThat(result.get("pollAgain").asBoolean()).isTrue();
            // the handler's own log lines came from the function's JVM, on stderr
            assertThat(make.errors()).contains("Picked up JAVA_TOOL_OPTIONS")
                    .contains("\"endpoint\":\"GET /v2/authentication/oauth2/action_request/{id}/poll\"");
        }
    }

    @Test
    void aFunctionErrorIsPrintedAsLambdaReportsItAndExitsNonZero() throws Exception {
        try (MakeTarget make = MakeTarget.startSeparated("invoke", List.of("FUNCTION=PollActionRequestFunction",
                "EVENT=events/poll-action-request.json", "ARGS=--no-seed"), Map.of())) {
            int exit = make.awaitExit(LIMIT);
            assertThat(exit).as(make.errors()).isNotZero();
            JsonNode error = Json.MAPPER.readTree(make.output());
            assertThat(error.get("errorType").asText()).isEqualTo("io.scaflow.store.FlowNotFoundException");
            assertThat(error.get("errorMessage").asText()).isEqualTo("flow flow-0001 does not exist");
            assertThat(error.get("stackTrace").isArray()).isTrue();
            assertThat(make.errors()).contains("X-Amz-Function-Error: Unhandled");
        }
    }

    @Test
    void withoutAFunctionOrAnEventItSaysHowToCallIt() throws Exception {
        try (MakeTarget make = MakeTarget.startSeparated("invoke", List.of("FUNCTION=PollActionRequestFunction"),
                Map.of())) {
            assertThat(make.awaitExit(LIMIT)).isEqualTo(2);
            assertThat(make.errors()).contains("usage: make invoke FUNCTION=");
            assertThat(make.output()).isEmpty();
        }
    }
}
