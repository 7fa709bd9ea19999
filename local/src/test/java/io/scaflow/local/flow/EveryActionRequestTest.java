package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.local.sandbox.ActionRequest;
import io.scaflow.local.sandbox.ActionRequestStatus;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.sandbox.SandboxException;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.KnownActionRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flow with more than one action request at Shine (a create answered too late and made again, a duplicate
 * invocation): every id received is kept, the request the user confirms is found whichever it is, its token is used
 * once, and a second confirmation does nothing. The step handlers against moto and the Shine sandbox; Shine's
 * request timeout is 1 s (FlowHarness).
 */
class EveryActionRequestTest {

    private static final String UID = "user-7";

    @RegisterExtension
    final StepsRun run = new StepsRun(UID);
    private FlowSteps steps;
    private FlowHarness harness;

    @BeforeEach
    void start() {
        steps = run.start(Map.of());
        harness = steps.harness;
    }

    /** Every short-lived token Shine issued, for whichever request, is a secret too. */
    @AfterEach
    void everyIssuedTokenIsASecret() {
        harness.sandbox.actionRequests().stream().map(ActionRequest::token).filter(t -> t != null)
                .forEach(run::secret);
    }

    @Test
    void aCreateAnsweredTooLateIsMadeAgainAndTheUserConfirmsTheFirst() {
        String flowId = steps.recordFlow("48.10");
        harness.sandbox.injectFault(Fault.delay(Endpoint.CREATE, 1, 2500));

        assertThat(steps.create(flowId).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");

        Flow flow = steps.flow(flowId);
        assertThat(harness.sandbox.calls()).filteredOn(c -> c.endpoint() == Endpoint.CREATE).hasSize(2);
        assertThat(flow.actionRequests()).extracting(KnownActionRequest::id)
                .containsExactlyInAnyOrderElementsOf(atShine());
        assertThat(flow.actionRequests()).hasSize(2).allSatisfy(r -> assertThat(r.attempt()).isEqualTo(1));
        assertThat(flow.attempt()).isEqualTo(1);
        String late = other(flow, flow.actionRequestId());
        assertThat(flow.actionRequests().get(1).id()).as("the late answer is recorded second").isEqualTo(late);
        assertThat(harness.logs()).contains("action request recorded beside the flow's current one");

        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        harness.sandbox.confirm(late);
        assertThat(steps.poll(flowId, 1).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(steps.flow(flowId).actionRequestId()).isEqualTo(late);

        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.sandbox.transfers()).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(late));
    }

    @Test
    void aDuplicateInvocationKeepsBothRequestsAndEitherCanBeConfirmed() throws Exception {
        String flowId = steps.recordFlow("12");
        String recordedOnConflict = duplicateCreate(flowId);
        Flow flow = steps.flow(flowId);
        assertThat(flow.actionRequests()).hasSize(2);
        assertThat(harness.logs()).contains("flow changed while its action request was created");

        harness.sandbox.confirm(recordedOnConflict);
        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.sandbox.transfers()).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(recordedOnConflict));
    }

    @Test
    void bothRequestsConfirmedGiveOneTransferAndTheOtherTokenIsNeverUsed() throws Exception {
        String flowId = steps.recordFlow("99");
        duplicateCreate(flowId);
        List<String> ids = atShine();
        ids.forEach(harness.sandbox::confirm);

        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("CONFIRMED");
        String winner = steps.flow(flowId).actionRequestId();
        assertThat(ids).contains(winner);
        assertThat(steps.poll(flowId, 1).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");

        assertThat(harness.sandbox.transfers()).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(winner));
        assertThat(harness.sandbox.calls()).filteredOn(c -> c.endpoint() == Endpoint.TRANSFER).hasSize(1);
        assertThat(harness.sandbox.actionRequests()).extracting(ActionRequest::status)
                .containsOnly(ActionRequestStatus.CONFIRMED);
    }

    @Test
    void aRejectionWhileAnotherRequestIsOpenDoesNotRejectTheFlow() {
        String flowId = steps.recordFlow("5");
        harness.sandbox.injectFault(Fault.delay(Endpoint.CREATE, 1, 1500));
        steps.create(flowId);
        Flow flow = steps.flow(flowId);
        harness.sandbox.reject(flow.actionRequestId());

        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(steps.flow(flowId).openActionRequests()).extracting(KnownActionRequest::id)
                .containsExactly(other(flow, flow.actionRequestId()));
        harness.sandbox.confirm(other(flow, flow.actionRequestId()));
        assertThat(steps.poll(flowId, 1).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.sandbox.transfers()).hasSize(1);
    }

    @Test
    void theFlowIsRejectedWhenTheLastOpenRequestEndsAfterARejection() {
        String flowId = steps.recordFlow("5");
        harness.sandbox.injectFault(Fault.delay(Endpoint.CREATE, 1, 1500));
        steps.create(flowId);
        Flow flow = steps.flow(flowId);
        harness.sandbox.reject(flow.actionRequestId());
        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");

        harness.advance(Duration.ofSeconds(61));
        JsonNode ended = steps.poll(flowId, 1);

        assertThat(ended.get("status").asText()).isEqualTo("REJECTED");
        assertThat(ended.get("renew").asBoolean()).isFalse();
        assertThat(steps.flow(flowId).actionRequests()).extracting(KnownActionRequest::state)
                .containsExactlyInAnyOrder(KnownActionRequest.State.REJECTED, KnownActionRequest.State.EXPIRED);
        assertThat(harness.sandbox.transfers()).isEmpty();
    }

    @Test
    void aFailedPollAfterExpiresAtDoesNotExpireTheRequest() {
        String flowId = steps.recordFlow("7");
        steps.create(flowId);
        harness.advance(Duration.ofSeconds(59));
        harness.sandbox.confirm(steps.flow(flowId).actionRequestId());
        harness.advance(Duration.ofSeconds(3));
        harness.sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.ERROR_500, 1));

        assertThat(steps.poll(flowId, 0).get("status").asText()).as("no answer: not judged expired")
                .isEqualTo("AWAITING_CONFIRMATION");
        assertThat(steps.poll(flowId, 1).get("status").asText()).as("confirmed just before expiresAt")
                .isEqualTo("CONFIRMED");
        assertThat(steps.execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anExpiredRequestIsSettledWhenTheFlowRenewsAndIsNotPolledAgain() {
        steps = run.start(Map.of("MAX_ATTEMPTS", "2"));
        harness = steps.harness;
        String flowId = steps.recordFlow("7");
        steps.create(flowId);
        String first = steps.flow(flowId).actionRequestId();
        harness.advance(Duration.ofSeconds(61));
        assertThat(steps.poll(flowId, 0).get("status").asText()).isEqualTo("EXPIRED");

        assertThat(steps.create(flowId).get("attempt").asInt()).isEqualTo(2);
        Flow renewed = steps.flow(flowId);
        assertThat(renewed.actionRequests()).extracting(KnownActionRequest::id).hasSize(2).contains(first);
        assertThat(renewed.openActionRequests()).extracting(KnownActionRequest::id)
                .containsExactly(renewed.actionRequestId());
        assertThatThrownBy(() -> harness.sandbox.confirm(first)).as("expired is final at Shine")
                .isInstanceOf(SandboxException.class);

        int pollsBefore = polls();
        assertThat(steps.poll(flowId, 1).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(polls() - pollsBefore).isEqualTo(1);
    }

    /**
     * Two create invocations for one PENDING flow: the first one's call is held at the sandbox while the second
     * creates its request and opens the attempt; then the first answer arrives. Returns the id of that first call,
     * which was recorded after the conflict.
     */
    private String duplicateCreate(String flowId) throws Exception {
        harness.sandbox.injectFault(Fault.delay(Endpoint.CREATE, 1, 600));
        CompletableFuture<JsonNode> held = CompletableFuture.supplyAsync(() -> steps.create(flowId));
        while (harness.sandbox.actionRequests().isEmpty()) {
            Thread.sleep(10);
        }
        String heldId = harness.sandbox.actionRequests().get(0).id();
        assertThat(steps.create(flowId).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(held.get().get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        Flow flow = steps.flow(flowId);
        assertThat(flow.actionRequestId()).isNotEqualTo(heldId);
        assertThat(flow.actionRequests()).extracting(KnownActionRequest::id)
                .containsExactly(flow.actionRequestId(), heldId);
        assertThat(flow.history()).extracting(h -> h.status()).containsExactly(FlowStatus.PENDING,
                FlowStatus.AWAITING_CONFIRMATION);
        return heldId;
    }

    private List<String> atShine() {
        return harness.sandbox.actionRequests().stream().filter(r -> UID.equals(r.uid())).map(ActionRequest::id).toList();
    }

    private static String other(Flow flow, String id) {
        return flow.actionRequests().stream().map(KnownActionRequest::id).filter(i -> !i.equals(id))
                .findFirst().orElseThrow();
    }

    private int polls() {
        return (int) harness.sandbox.calls().stream().filter(c -> c.endpoint() == Endpoint.POLL).count();
    }
}
