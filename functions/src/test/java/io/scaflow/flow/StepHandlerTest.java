package io.scaflow.flow;

import static io.scaflow.flow.FlowKit.event;
import static io.scaflow.flow.FlowKit.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.input.FieldError;
import io.scaflow.input.InvalidInputException;
import io.scaflow.store.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** What every step does with its event before its own work, and the shape of what it hands back. */
class StepHandlerTest {

    private final FlowKit kit = new FlowKit();
    private final StepHandler step = new PollActionRequestHandler(kit.services);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not json", "[1, 2]", "\"flow-1\"", "null"})
    void anEventThatIsNotAJsonObjectIsRefused(String event) {
        assertThatThrownBy(() -> run(step, event)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("event"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "{\"flowId\": 12}", "{\"flowId\": \"\"}", "{\"flowId\": \"a/b\"}",
            "{\"flowId\": \"../x\"}"})
    void anEventWithoutAFlowIdAStepFunctionsExecutionCouldBeNamedIsRefused(String event) {
        assertThatThrownBy(() -> run(step, event)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("flowId"));
    }

    @Test
    void aFlowIdOf80CharactersIsTheLongestAccepted() {
        kit.awaiting("a".repeat(80));

        assertThat(run(step, event("a".repeat(80))).path("flowId").asText()).hasSize(80);
        assertThatThrownBy(() -> run(step, event("a".repeat(81)))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aThrottledWriteLeavesAsAwsUnavailableNamingTheFailuresClassOnly() {
        kit.awaiting("f-1");
        kit.flows.beforeNextChange(store -> {
            throw ProvisionedThroughputExceededException.builder().statusCode(400).message("table flows-PLANT")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                            .build()).build();
        });
        kit.shine.reject("ar-1");

        assertThatThrownBy(() -> run(step, event("f-1"))).isInstanceOf(AwsUnavailableException.class)
                .hasMessageContaining("ProvisionedThroughputExceededException").hasMessageNotContaining("PLANT");
        assertThat(ErrorCode.forName(AwsUnavailableException.class.getName())).isEqualTo(ErrorCode.AWS_UNAVAILABLE);
    }

    @Test
    void aFailureALaterAttemptWouldMeetAgainLeavesAsStepFailed() {
        kit.awaiting("f-1");
        kit.flows.beforeNextChange(store -> {
            throw ResourceNotFoundException.builder().statusCode(400).message("table flows-PLANT")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build()).build();
        });
        kit.shine.reject("ar-1");

        assertThatThrownBy(() -> run(step, event("f-1"))).isInstanceOf(StepFailedException.class)
                .hasMessageNotContaining("PLANT");
    }

    @Test
    void aStepResultHoldsIdsStatusesAndNumbersOnly() {
        kit.confirmed("f-1");

        JsonNode result = run(step, event("f-1", "pollCount", "1", "unknownField", "true"));

        List<String> fields = new ArrayList<>();
        result.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("flowId", "status", "attempt", "waitSeconds", "pollCount", "renew",
                "pollAgain");
    }
}
