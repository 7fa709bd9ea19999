package io.scaflow.flow;

import static io.scaflow.flow.FlowKit.event;
import static io.scaflow.flow.FlowKit.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.core.Secret;
import io.scaflow.store.ErrorCode;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowConflictException;
import io.scaflow.store.FlowStatus;
import io.scaflow.testing.LambdaEvents;
import io.scaflow.testing.Repository;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Catch target's decisions: which final status a caught error leaves (OUTCOME_UNKNOWN once the action may
 * have been sent, FAILED before), what it records of the error, and how it meets a flow that moves meanwhile.
 */
class RecordFailureHandlerTest {

    private final FlowKit kit = new FlowKit();
    private final RecordFailureHandler handler = new RecordFailureHandler(kit.services);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"PENDING, FAILED", "AWAITING_CONFIRMATION, FAILED", "CONFIRMED, FAILED", "EXECUTING, OUTCOME_UNKNOWN"})
    void anUnfinishedFlowEndsFailedUnlessItsActionMayHaveBeenSent(FlowStatus from, FlowStatus to) {
        flowIn("f-1", from);

        JsonNode result = run(handler, failure("f-1", "States.Timeout", "the task timed out"));

        assertThat(kit.get("f-1").status()).isEqualTo(to);
        assertThat(kit.get("f-1").error().code()).isEqualTo(ErrorCode.TIMEOUT.code());
        assertThat(kit.get("f-1").accessToken()).isEmpty();
        assertThat(result.path("status").asText()).isEqualTo(to.name());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SUCCEEDED", "REJECTED", "CANCELLED"})
    void aFinishedFlowIsLeftAsItIs(FlowStatus status) {
        flowIn("f-1", status);
        Flow before = kit.get("f-1");

        JsonNode result = run(handler, failure("f-1", "States.Timeout", "late"));

        assertThat(kit.get("f-1")).isEqualTo(before);
        assertThat(result.path("status").asText()).isEqualTo(status.name());
    }

    @Test
    void anExpiredFlowWithAttemptsLeftIsStillUnfinishedAndOneWithoutIsLeft() {
        kit.awaiting("renewable");
        kit.move("renewable", FlowStatus.EXPIRED);
        FlowKit oneAttempt = new FlowKit(Map.of("MAX_ATTEMPTS", "1"));
        oneAttempt.awaiting("last");
        oneAttempt.move("last", FlowStatus.EXPIRED);

        run(handler, failure("renewable", "States.Timeout", "x"));
        run(new RecordFailureHandler(oneAttempt.services), failure("last", "States.Timeout", "x"));

        assertThat(kit.get("renewable").status()).isEqualTo(FlowStatus.FAILED);
        assertThat(oneAttempt.get("last").status()).isEqualTo(FlowStatus.EXPIRED);
        assertThat(oneAttempt.get("last").error()).isNull();
    }

    @Test
    void aFlowThatWasNeverRecordedIsReportedFailed() {
        JsonNode result = run(handler, failure("ghost", "States.Timeout", "x"));

        assertThat(result.path("flowId").asText()).isEqualTo("ghost");
        assertThat(result.path("status").asText()).isEqualTo("FAILED");
        assertThat(kit.flows.find("ghost")).isEmpty();
    }

    @Test
    void aFlowThatMovesMeanwhileIsReadAgainAndEndedFromWhereItIs() {
        kit.awaiting("f-1");
        kit.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.AWAITING_CONFIRMATION,
                FlowChange.to(FlowStatus.CONFIRMED, "confirmed meanwhile").confirmed(kit.clock.instant(),
                        Secret.of("slt"))));
        kit.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.CONFIRMED,
                FlowChange.to(FlowStatus.EXECUTING, "sent meanwhile")));

        run(handler, failure("f-1", "States.Timeout", "x"));

        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
    }

    @Test
    void aFlowThatKeepsMovingFailsTheStepAfterThreeAttempts() {
        kit.pending("f-1");
        kit.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.PENDING,
                FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "1").actionRequest("ar-1", 1, kit.clock.instant(), null)));
        kit.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.AWAITING_CONFIRMATION,
                FlowChange.to(FlowStatus.EXPIRED, "2")));
        kit.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.EXPIRED,
                FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "3").actionRequest("ar-2", 2, kit.clock.instant(), null)));

        assertThatThrownBy(() -> run(handler, failure("f-1", "States.Timeout", "x"))).isInstanceOf(FlowConflictException.class);
        assertThat(kit.get("f-1").status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
    }

    @Test
    void theCauseOfALambdaErrorIsReadFromItsJsonAndTheErrorNameIsMappedToItsCode() {
        kit.pending("f-1");
        String cause = "{\"errorMessage\": \"io.scaflow.input.InvalidInputException: invalid input: uid is required\","
                + " \"errorType\": \"io.scaflow.input.InvalidInputException\"}";

        run(handler, failure("f-1", "io.scaflow.input.InvalidInputException", cause));

        assertThat(kit.get("f-1").error().code()).isEqualTo(ErrorCode.INVALID_INPUT.code());
        assertThat(kit.get("f-1").error().message()).isEqualTo("invalid input: uid is required");
    }

    @Test
    void aLongCauseIsCutAndAMissingOneSaidSo() {
        kit.pending("long");
        kit.pending("none");

        run(handler, failure("long", "io.scaflow.input.InvalidInputException", "x".repeat(2_000)));
        run(handler, event("none", "error", "{}"));

        assertThat(kit.get("long").error().message()).hasSizeLessThanOrEqualTo(503).endsWith("...");
        assertThat(kit.get("none").error().code()).isEqualTo(ErrorCode.INTERNAL.code());
    }

    @ParameterizedTest
    @EnabledIf(Repository.PRESENT)
    @Event(value = "../events/record-failure.json", type = Map.class)
    void theSampleEventRecordsShinesUnavailability(Map<String, Object> event) {
        kit.pending("flow-0001");

        run(handler, LambdaEvents.bytes(event), null);

        assertThat(kit.get("flow-0001").status()).isEqualTo(FlowStatus.FAILED);
        assertThat(kit.get("flow-0001").error().code()).isEqualTo(ErrorCode.SHINE_UNAVAILABLE.code());
        assertThat(kit.get("flow-0001").error().message()).contains("HTTP 503");
    }

    /** A flow in {@code status}, reached along the steps' own moves. */
    private void flowIn(String flowId, FlowStatus status) {
        switch (status) {
            case PENDING -> kit.pending(flowId);
            case AWAITING_CONFIRMATION -> kit.awaiting(flowId);
            case CONFIRMED -> kit.confirmed(flowId);
            case EXECUTING, SUCCEEDED -> {
                kit.confirmed(flowId);
                kit.move(flowId, FlowStatus.EXECUTING);
                if (status == FlowStatus.SUCCEEDED) {
                    kit.move(flowId, FlowStatus.SUCCEEDED);
                }
            }
            default -> {
                kit.awaiting(flowId);
                kit.move(flowId, status);
            }
        }
    }

    private static String failure(String flowId, String error, String cause) {
        return event(flowId, "error", Json.MAPPER.createObjectNode().put("Error", error).put("Cause", cause).toString());
    }
}
