package io.scaflow.api;

import static io.scaflow.api.ApiKit.delete;
import static io.scaflow.api.ApiKit.get;
import static io.scaflow.api.StoredFlows.flowIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET} and {@code DELETE /v1/actions/{id}}: who sees a flow, which flows can be cancelled, and how a cancel
 * meets a flow that moves at the same time.
 */
class CancelFlowTest {

    private static final String OTHER = "arn:aws:iam::123456789012:user/other";

    private final ApiKit api = new ApiKit();

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = FlowStatus.class, names = {"PENDING", "AWAITING_CONFIRMATION", "CONFIRMED", "EXPIRED"})
    void aFlowWhoseActionWasNotSentIsCancelledItsExecutionStoppedAndItsSecretsGone(FlowStatus status) {
        flowIn(api, "f-1", status, ApiKit.CALLER);

        ApiKit.Answer answer = api.send(delete("f-1"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("CANCELLED");
        assertThat(answer.body().path("ended").asBoolean()).isTrue();
        Flow flow = api.flows.get("f-1");
        assertThat(flow.status()).isEqualTo(FlowStatus.CANCELLED);
        assertThat(flow.accessToken()).isEmpty();
        assertThat(flow.shortLivedToken()).isEmpty();
        assertThat(api.sfn.stopped()).containsExactly(ApiKit.STATE_MACHINE.replace(":stateMachine:", ":execution:") + ":f-1");
        // who cancelled is in the history (PSD2 traceability)
        assertThat(flow.history().get(flow.history().size() - 1).reason())
                .isEqualTo("cancelled through the API by " + ApiKit.CALLER);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = FlowStatus.class, names = {"EXECUTING", "SUCCEEDED", "OUTCOME_UNKNOWN"})
    void aFlowWhoseActionMayHaveBeenSentCannotBeCancelled(FlowStatus status) {
        flowIn(api, "f-1", status, ApiKit.CALLER);

        ApiKit.Answer answer = api.send(delete("f-1"));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.body().path("code").asText()).isEqualTo("not-cancellable");
        assertThat(answer.body().path("detail").asText()).contains("may already have been sent");
        assertThat(api.flows.get("f-1").status()).isEqualTo(status);
        assertThat(api.sfn.stopped()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = FlowStatus.class, names = {"REJECTED", "FAILED", "CANCELLED"})
    void aFlowThatEndedCannotBeCancelled(FlowStatus status) {
        flowIn(api, "f-1", status, ApiKit.CALLER);

        ApiKit.Answer answer = api.send(delete("f-1"));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.body().path("detail").asText()).contains("it has ended");
        assertThat(api.sfn.stopped()).isEmpty();
    }

    @Test
    void anExpiredFlowWithNoAttemptLeftHasEndedAndCannotBeCancelled() {
        ApiKit oneAttempt = new ApiKit(Map.of("MAX_ATTEMPTS", "1"));
        flowIn(oneAttempt, "f-1", FlowStatus.EXPIRED, ApiKit.CALLER);

        assertThat(oneAttempt.send(delete("f-1")).status()).isEqualTo(409);
        assertThat(oneAttempt.flows.get("f-1").status()).isEqualTo(FlowStatus.EXPIRED);
    }

    @Test
    void aSecondCancelFindsTheFlowEndedAndStopsNothingMore() {
        flowIn(api, "f-1", FlowStatus.AWAITING_CONFIRMATION, ApiKit.CALLER);

        api.send(delete("f-1"));
        ApiKit.Answer again = api.send(delete("f-1"));

        assertThat(again.status()).isEqualTo(409);
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.CANCELLED);
        assertThat(api.sfn.stopped()).hasSize(1);
    }

    @Test
    void aFlowThatMovesWhileItIsCancelledIsReadAgainAndCancelledFromWhereItIs() {
        flowIn(api, "f-1", FlowStatus.AWAITING_CONFIRMATION, ApiKit.CALLER);
        api.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.AWAITING_CONFIRMATION,
                FlowChange.to(FlowStatus.CONFIRMED, "confirmed meanwhile").confirmed(api.clock.instant(), Secret.of("slt"))));

        ApiKit.Answer answer = api.send(delete("f-1"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.CANCELLED);
        assertThat(api.flows.get("f-1").shortLivedToken()).isEmpty();
    }

    @Test
    void aFlowWhoseActionIsSentWhileItIsCancelledIsNotCancelled() {
        flowIn(api, "f-1", FlowStatus.CONFIRMED, ApiKit.CALLER);
        api.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.CONFIRMED,
                FlowChange.to(FlowStatus.EXECUTING, "sent meanwhile")));

        ApiKit.Answer answer = api.send(delete("f-1"));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.EXECUTING);
        assertThat(api.sfn.stopped()).isEmpty();
    }

    @Test
    void anotherCallersFlowIsNotFoundToShowOrToCancel() {
        flowIn(api, "f-1", FlowStatus.AWAITING_CONFIRMATION, OTHER);

        api.send(get("f-1")).assertProblem(404, "not-found", "id");
        api.send(delete("f-1")).assertProblem(404, "not-found", "id");
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
    }

    @ParameterizedTest(name = "owner {0}")
    @NullSource
    @ValueSource(strings = Flow.CONSOLE_OWNER)
    void aConsoleFlowOrOneWithoutAnOwnerIsNotFoundToShowOrToCancel(String owner) {
        flowIn(api, "f-1", FlowStatus.AWAITING_CONFIRMATION, owner);

        ApiKit.Answer shown = api.send(get("f-1")).assertProblem(404, "not-found", "id");
        ApiKit.Answer cancelled = api.send(delete("f-1")).assertProblem(404, "not-found", "id");

        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
        assertThat(api.sfn.stopped()).isEmpty();
        assertThat(shown.proxy().toString() + cancelled.proxy()).doesNotContain("access-f-1").doesNotContain("u-1");
    }

    @Test
    void noCallerIsTheConsoleOwner() {
        flowIn(api, "f-1", FlowStatus.AWAITING_CONFIRMATION, Flow.CONSOLE_OWNER);
        ApiKit.Event asConsole = get("f-1");
        ((ObjectNode) asConsole.json().get("requestContext").get("identity")).put("userArn", Flow.CONSOLE_OWNER);

        api.send(asConsole).assertProblem(403, "forbidden", "identity");
    }
}
