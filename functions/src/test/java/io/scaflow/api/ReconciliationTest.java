package io.scaflow.api;

import static io.scaflow.api.StoredFlows.flowIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.Reconciliation;
import io.scaflow.store.StatusChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /v1/actions/{id}/reconciliation}: only an OUTCOME_UNKNOWN flow is reconciled, the history says who
 * and why, the same reconciliation again changes nothing, anything else is a 409; Shine is never called (the kit's
 * Shine fails the test when used) and no execution is started or stopped.
 */
class ReconciliationTest {

    private static final String SESSION = "arn:aws:sts::123456789012:assumed-role/operator/alice";

    /** The default wait before FAILED is accepted (RECONCILE_FAILED_AFTER_SECONDS): ExecuteAction's 30 s and 30 more. */
    private static final Duration FAILED_AFTER = Duration.ofSeconds(60);

    private final ApiKit api = new ApiKit();

    static ApiKit.Event reconcile(String id, String body) {
        return new ApiKit.Event("POST", "/v1/actions/{id}/reconciliation", "/v1/actions/" + id + "/reconciliation")
                .pathParameter("id", id).header("Content-Type", "application/json").body(body);
    }

    @Test
    void anOutcomeUnknownFlowIsReconciledAsSucceededWithWhoAndWhyInItsHistory() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        ApiKit.Event event = reconcile("f-1", "{\"outcome\": \"SUCCEEDED\", \"shineTransferId\": \"bt-42\", "
                + "\"note\": \"transfer bt-42 seen on the account statement\"}");
        ObjectNode identity = (ObjectNode) event.json().get("requestContext").get("identity");
        identity.put("userArn", SESSION).put("caller", "AROAEXAMPLE:alice");

        ApiKit.Answer answer = api.send(event);

        assertThat(answer.status()).as(answer.proxy().toString()).isEqualTo(200);
        JsonNode doc = answer.body();
        assertThat(doc.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(doc.has("error")).as("the outcome is known: no outcome-unknown error any more").isFalse();
        JsonNode last = doc.path("history").get(doc.path("history").size() - 1);
        assertThat(last.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(last.path("reason").asText()).contains("reconciled as SUCCEEDED by " + SESSION);
        assertThat(last.path("reconciliation").path("by").asText()).isEqualTo(SESSION);
        assertThat(last.path("reconciliation").path("callerId").asText()).isEqualTo("AROAEXAMPLE:alice");
        assertThat(last.path("reconciliation").path("note").asText()).isEqualTo("transfer bt-42 seen on the account statement");
        assertThat(last.path("reconciliation").path("shineTransferId").asText()).isEqualTo("bt-42");
        Flow stored = api.flows.get("f-1");
        assertThat(stored.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(stored.history().get(stored.history().size() - 1).reconciliation())
                .isEqualTo(new Reconciliation(SESSION, "AROAEXAMPLE:alice", "transfer bt-42 seen on the account statement", "bt-42"));
        assertThat(api.sfn.started()).isEmpty();
        assertThat(api.sfn.stopped()).isEmpty();
    }

    @Test
    void anOutcomeUnknownFlowIsReconciledAsFailedKeepingWhyItWasUnknown() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        api.clock.advance(FAILED_AFTER);

        ApiKit.Answer answer = api.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"no transfer at Shine\"}"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("FAILED");
        assertThat(answer.body().path("ended").asBoolean()).isTrue();
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("outcome-unknown");
        JsonNode last = answer.body().path("history").get(answer.body().path("history").size() - 1);
        assertThat(last.path("reconciliation").path("by").asText()).isEqualTo(ApiKit.CALLER);
        assertThat(last.path("reconciliation").has("shineTransferId")).isFalse();
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
    }

    @Test
    void theSameReconciliationAgainAnswersTheSameFlowWithoutASecondHistoryEntry() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        String body = "{\"outcome\": \"SUCCEEDED\", \"shineTransferId\": \"bt-1\", \"note\": \"seen\"}";

        ApiKit.Answer first = api.send(reconcile("f-1", body));
        ApiKit.Answer again = api.send(reconcile("f-1", body));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(api.flows.get("f-1").history()).hasSize(first.body().path("history").size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"outcome\": \"FAILED\", \"note\": \"seen\"}",
            "{\"outcome\": \"SUCCEEDED\", \"note\": \"seen\"}",
            "{\"outcome\": \"SUCCEEDED\", \"shineTransferId\": \"bt-2\", \"note\": \"seen\"}",
            "{\"outcome\": \"SUCCEEDED\", \"shineTransferId\": \"bt-1\", \"note\": \"another note\"}"})
    void anotherReconciliationOfAReconciledFlowIsAConflict(String body) {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        api.send(reconcile("f-1", "{\"outcome\": \"SUCCEEDED\", \"shineTransferId\": \"bt-1\", \"note\": \"seen\"}"));
        int entries = api.flows.get("f-1").history().size();

        ApiKit.Answer answer = api.send(reconcile("f-1", body)).assertProblem(409, "not-reconcilable", "id");

        assertThat(answer.body().path("detail").asText()).contains("earlier reconciliation");
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(api.flows.get("f-1").history()).hasSize(entries);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = FlowStatus.class, names = "OUTCOME_UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void onlyAnOutcomeUnknownFlowIsReconciled(FlowStatus status) {
        flowIn(api, "f-1", status, ApiKit.CALLER);
        List<StatusChange> before = api.flows.get("f-1").history();

        api.send(reconcile("f-1", "{\"outcome\": \"SUCCEEDED\", \"note\": \"seen\"}"))
                .assertProblem(409, "not-reconcilable", "id");

        assertThat(api.flows.get("f-1").status()).isEqualTo(status);
        assertThat(api.flows.get("f-1").history()).isEqualTo(before);
    }

    @Test
    void aLateAnswerFromShineBeforeTheWriteWinsAndTheReconciliationIsAConflict() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        api.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.OUTCOME_UNKNOWN,
                FlowChange.to(FlowStatus.SUCCEEDED, "Shine answered HTTP 201 (after the flow was marked OUTCOME_UNKNOWN)")));

        api.send(reconcile("f-1", "{\"outcome\": \"SUCCEEDED\", \"note\": \"transfer seen\"}"))
                .assertProblem(409, "not-reconcilable", "id");

        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.SUCCEEDED);
    }

    @Test
    void twoOperatorsAtOnceWriteOnceTheSecondGetsTheFirstsAnswerOrAConflict() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        flowIn(api, "f-2", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        api.clock.advance(FAILED_AFTER);
        Reconciliation other = new Reconciliation("arn:aws:iam::123456789012:user/bob", null, "seen", null);
        for (String id : List.of("f-1", "f-2")) {
            api.flows.beforeNextChange(store -> store.change(id, FlowStatus.OUTCOME_UNKNOWN,
                    FlowChange.reconciled(FlowStatus.FAILED, "reconciled by bob", other)));
        }

        ApiKit.Answer same = api.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"seen\"}"));
        ApiKit.Answer different = api.send(reconcile("f-2", "{\"outcome\": \"SUCCEEDED\", \"note\": \"seen\"}"));

        assertThat(same.status()).as("the same decision, already written by the other").isEqualTo(200);
        different.assertProblem(409, "not-reconcilable", "id");
        for (String id : List.of("f-1", "f-2")) {
            Flow flow = api.flows.get(id);
            assertThat(flow.status()).isEqualTo(FlowStatus.FAILED);
            assertThat(flow.history().stream().filter(c -> c.reconciliation() != null)).hasSize(1);
            assertThat(flow.history().get(flow.history().size() - 1).reconciliation()).isEqualTo(other);
        }
    }

    @Test
    void failedIsTooEarlyWhileTheTransferCallMayStillBeInFlightAndAcceptedOnceItCannot() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        List<StatusChange> before = api.flows.get("f-1").history();
        api.clock.advance(FAILED_AFTER.minusSeconds(5));

        ApiKit.Answer early = api.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"nothing seen\"}"))
                .assertProblem(409, "reconciliation-too-early", "outcome");

        assertThat(early.header("Retry-After")).isEqualTo("6");
        assertThat(early.body().path("detail").asText()).contains("2025-01-15T10:01:00Z");
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
        assertThat(api.flows.get("f-1").history()).isEqualTo(before);

        api.clock.advanceSeconds(5);
        assertThat(api.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"nothing seen\"}")).status())
                .isEqualTo(200);
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.FAILED);
    }

    @Test
    void theWaitCountsFromWhenTheFlowBecameExecutingAndIsTheFunctionsSetting() {
        ApiKit quick = new ApiKit(Map.of("RECONCILE_FAILED_AFTER_SECONDS", "10"));
        flowIn(quick, "f-1", FlowStatus.CONFIRMED, ApiKit.CALLER);
        quick.flows.direct().change("f-1", FlowStatus.CONFIRMED, FlowChange.to(FlowStatus.EXECUTING, "sending"));
        quick.clock.advanceSeconds(8);
        quick.flows.direct().change("f-1", FlowStatus.EXECUTING, FlowChange.to(FlowStatus.OUTCOME_UNKNOWN, "no answer"));
        quick.clock.advanceSeconds(1);

        quick.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"n\"}"))
                .assertProblem(409, "reconciliation-too-early", "outcome");
        quick.clock.advanceSeconds(1);
        assertThat(quick.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"n\"}")).status())
                .as("10 s after EXECUTING, though only 2 s after OUTCOME_UNKNOWN").isEqualTo(200);
    }

    @Test
    void succeededIsAcceptedAtOnceTheTransferWasSeen() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);

        assertThat(api.send(reconcile("f-1", "{\"outcome\": \"SUCCEEDED\", \"note\": \"seen\"}")).status())
                .isEqualTo(200);
    }

    @Test
    void anyCallersFlowAndAConsoleFlowAreReconciledByTheOperatorRoute() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, "arn:aws:iam::123456789012:user/other");
        flowIn(api, "f-2", FlowStatus.OUTCOME_UNKNOWN, Flow.CONSOLE_OWNER);
        api.clock.advance(FAILED_AFTER);

        assertThat(api.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"n\"}")).status()).isEqualTo(200);
        assertThat(api.send(reconcile("f-2", "{\"outcome\": \"FAILED\", \"note\": \"n\"}")).status()).isEqualTo(200);
    }

    @Test
    void anUnknownFlowOrAnIdThatIsNoFlowIdIsNotFound() {
        api.send(reconcile("no-such-flow", "{\"outcome\": \"FAILED\", \"note\": \"n\"}")).assertProblem(404, "not-found", "id");
        api.send(reconcile("a.b", "{\"outcome\": \"FAILED\", \"note\": \"n\"}")).assertProblem(404, "not-found", "id");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "outcome|{\"note\": \"n\"}",
            "outcome|{\"outcome\": \"CANCELLED\", \"note\": \"n\"}",
            "outcome|{\"outcome\": \"succeeded\", \"note\": \"n\"}",
            "outcome|{\"outcome\": 1, \"note\": \"n\"}",
            "note|{\"outcome\": \"FAILED\"}",
            "note|{\"outcome\": \"FAILED\", \"note\": \"   \"}",
            "note|{\"outcome\": \"FAILED\", \"note\": 5}",
            "note|{\"outcome\": \"FAILED\", \"note\": \"two\\nlines\"}",
            "shineTransferId|{\"outcome\": \"FAILED\", \"note\": \"n\", \"shineTransferId\": \"bt-1\"}",
            "shineTransferId|{\"outcome\": \"SUCCEEDED\", \"note\": \"n\", \"shineTransferId\": \"../x\"}",
            "shineTransferId|{\"outcome\": \"SUCCEEDED\", \"note\": \"n\", \"shineTransferId\": 7}",
            "shineTransferID|{\"outcome\": \"SUCCEEDED\", \"note\": \"n\", \"shineTransferID\": \"bt-1\"}"})
    void aWrongFieldIsA400NamingItAndChangesNothing(String fieldAndBody) {
        String[] parts = fieldAndBody.split("\\|", 2);
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);

        api.send(reconcile("f-1", parts[1])).assertProblem(400, "invalid-input", parts[0]);

        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
    }

    @Test
    void aNoteOfAThousandCharactersIsKeptAndOneMoreIsRefused() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        flowIn(api, "f-2", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        api.clock.advance(FAILED_AFTER);

        api.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"" + "é".repeat(1001) + "\"}"))
                .assertProblem(400, "invalid-input", "note");
        assertThat(api.send(reconcile("f-2", "{\"outcome\": \"FAILED\", \"note\": \"" + "é".repeat(1000) + "\"}"))
                .status()).isEqualTo(200);
    }

    @Test
    void theBodyIsReadAsTheOtherPostsAndOtherMethodsAreNotAllowed() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);

        api.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"n\"}").withoutHeader("Content-Type")
                .header("Content-Type", "text/plain")).assertProblem(415, "unsupported-media-type", "Content-Type");
        api.send(reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"n\"")).assertProblem(400, "malformed-json", "body");
        ApiKit.Event get = reconcile("f-1", null);
        get.json().put("httpMethod", "GET");
        api.send(get).assertProblem(405, "method-not-allowed", "method");
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
    }

    @Test
    void aRequestWithoutAnIamIdentityIsRefused() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        ApiKit.Event event = reconcile("f-1", "{\"outcome\": \"FAILED\", \"note\": \"n\"}");
        ((ObjectNode) event.json().get("requestContext").get("identity")).remove("userArn");

        api.send(event).assertProblem(403, "forbidden", "identity");
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
    }

    @Test
    void theStoreMovesAnOutcomeUnknownFlowToFailedOnlyThroughAReconciliation() {
        flowIn(api, "f-1", FlowStatus.OUTCOME_UNKNOWN, ApiKit.CALLER);
        flowIn(api, "f-2", FlowStatus.EXECUTING, ApiKit.CALLER);
        Reconciliation by = new Reconciliation(ApiKit.CALLER, null, "n", null);

        assertThatThrownBy(() -> api.flows.change("f-1", FlowStatus.OUTCOME_UNKNOWN, FlowChange.to(FlowStatus.FAILED, "x")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> api.flows.change("f-2", FlowStatus.EXECUTING,
                FlowChange.reconciled(FlowStatus.SUCCEEDED, "x", by))).isInstanceOf(IllegalStateException.class);
        assertThat(api.flows.get("f-1").status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
        assertThat(api.flows.get("f-2").status()).isEqualTo(FlowStatus.EXECUTING);
    }
}
