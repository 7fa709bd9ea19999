package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.ActionRequest;
import io.scaflow.local.sandbox.ActionRequestStatus;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.sandbox.SandboxException;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.KnownActionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A flow with more than one action request at Shine (a create answered too late and made again, a duplicate
 * invocation): every id received is kept, the request the user confirms is found whichever it is, its token is used
 * once, and a second confirmation does nothing. The step handlers against moto and the Shine sandbox; Shine's
 * request timeout is 1 s (FlowHarness).
 */
class EveryActionRequestTest {

    private static final String UID = "user-7";

    private FlowHarness harness;
    private final List<JsonNode> outputs = new ArrayList<>();

    @BeforeEach
    void start() {
        harness = new FlowHarness(Map.of());
    }

    @AfterEach
    void noSecretLeft() {
        String everything = outputs + harness.logs();
        List<String> secrets = new ArrayList<>(List.of(harness.sandbox.clientSecret(), harness.sandbox.accessTokenOf(UID)));
        harness.sandbox.actionRequests().stream().map(ActionRequest::token).filter(t -> t != null).forEach(secrets::add);
        for (String secret : secrets) {
            assertThat(everything).doesNotContain(secret);
        }
        harness.close();
    }

    @Test
    void aCreateAnsweredTooLateIsMadeAgainAndTheUserConfirmsTheFirst() {
        String flowId = recordFlow("48.10");
        harness.sandbox.injectFault(Fault.delay(Endpoint.CREATE, 1, 2500));

        assertThat(create(flowId).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");

        Flow flow = flow(flowId);
        assertThat(harness.sandbox.calls()).filteredOn(c -> c.endpoint() == Endpoint.CREATE).hasSize(2);
        assertThat(flow.actionRequests()).extracting(KnownActionRequest::id)
                .containsExactlyInAnyOrderElementsOf(atShine());
        assertThat(flow.actionRequests()).hasSize(2).allSatisfy(r -> assertThat(r.attempt()).isEqualTo(1));
        assertThat(flow.attempt()).isEqualTo(1);
        String late = other(flow, flow.actionRequestId());
        assertThat(flow.actionRequests().get(1).id()).as("the late answer is recorded second").isEqualTo(late);
        assertThat(harness.logs()).contains("action request recorded beside the flow's current one");

        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        harness.sandbox.confirm(late);
        assertThat(poll(flowId, 1).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(flow(flowId).actionRequestId()).isEqualTo(late);

        assertThat(execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.sandbox.transfers()).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(late));
    }

    @Test
    void aDuplicateInvocationKeepsBothRequestsAndEitherCanBeConfirmed() throws Exception {
        String flowId = recordFlow("12");
        String recordedOnConflict = duplicateCreate(flowId);
        Flow flow = flow(flowId);
        assertThat(flow.actionRequests()).hasSize(2);
        assertThat(harness.logs()).contains("flow changed while its action request was created");

        harness.sandbox.confirm(recordedOnConflict);
        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.sandbox.transfers()).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(recordedOnConflict));
    }

    @Test
    void bothRequestsConfirmedGiveOneTransferAndTheOtherTokenIsNeverUsed() throws Exception {
        String flowId = recordFlow("99");
        duplicateCreate(flowId);
        List<String> ids = atShine();
        ids.forEach(harness.sandbox::confirm);

        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("CONFIRMED");
        String winner = flow(flowId).actionRequestId();
        assertThat(ids).contains(winner);
        assertThat(poll(flowId, 1).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");

        assertThat(harness.sandbox.transfers()).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(winner));
        assertThat(harness.sandbox.calls()).filteredOn(c -> c.endpoint() == Endpoint.TRANSFER).hasSize(1);
        assertThat(harness.sandbox.actionRequests()).extracting(ActionRequest::status)
                .containsOnly(ActionRequestStatus.CONFIRMED);
    }

    @Test
    void aRejectionWhileAnotherRequestIsOpenDoesNotRejectTheFlow() {
        String flowId = recordFlow("5");
        harness.sandbox.injectFault(Fault.delay(Endpoint.CREATE, 1, 1500));
        create(flowId);
        Flow flow = flow(flowId);
        harness.sandbox.reject(flow.actionRequestId());

        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(flow(flowId).openActionRequests()).extracting(KnownActionRequest::id)
                .containsExactly(other(flow, flow.actionRequestId()));
        harness.sandbox.confirm(other(flow, flow.actionRequestId()));
        assertThat(poll(flowId, 1).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(harness.sandbox.transfers()).hasSize(1);
    }

    @Test
    void theFlowIsRejectedWhenTheLastOpenRequestEndsAfterARejection() {
        String flowId = recordFlow("5");
        harness.sandbox.injectFault(Fault.delay(Endpoint.CREATE, 1, 1500));
        create(flowId);
        Flow flow = flow(flowId);
        harness.sandbox.reject(flow.actionRequestId());
        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");

        harness.advance(Duration.ofSeconds(61));
        JsonNode ended = poll(flowId, 1);

        assertThat(ended.get("status").asText()).isEqualTo("REJECTED");
        assertThat(ended.get("renew").asBoolean()).isFalse();
        assertThat(flow(flowId).actionRequests()).extracting(KnownActionRequest::state)
                .containsExactlyInAnyOrder(KnownActionRequest.State.REJECTED, KnownActionRequest.State.EXPIRED);
        assertThat(harness.sandbox.transfers()).isEmpty();
    }

    @Test
    void aFailedPollAfterExpiresAtDoesNotExpireTheRequest() {
        String flowId = recordFlow("7");
        create(flowId);
        harness.advance(Duration.ofSeconds(59));
        harness.sandbox.confirm(flow(flowId).actionRequestId());
        harness.advance(Duration.ofSeconds(3));
        harness.sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.ERROR_500, 1));

        assertThat(poll(flowId, 0).get("status").asText()).as("no answer: not judged expired")
                .isEqualTo("AWAITING_CONFIRMATION");
        assertThat(poll(flowId, 1).get("status").asText()).as("confirmed just before expiresAt")
                .isEqualTo("CONFIRMED");
        assertThat(execute(flowId).get("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anExpiredRequestIsSettledWhenTheFlowRenewsAndIsNotPolledAgain() {
        harness.close();
        harness = new FlowHarness(Map.of("MAX_ATTEMPTS", "2"));
        String flowId = recordFlow("7");
        create(flowId);
        String first = flow(flowId).actionRequestId();
        harness.advance(Duration.ofSeconds(61));
        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("EXPIRED");

        assertThat(create(flowId).get("attempt").asInt()).isEqualTo(2);
        Flow renewed = flow(flowId);
        assertThat(renewed.actionRequests()).extracting(KnownActionRequest::id).hasSize(2).contains(first);
        assertThat(renewed.openActionRequests()).extracting(KnownActionRequest::id)
                .containsExactly(renewed.actionRequestId());
        assertThatThrownBy(() -> harness.sandbox.confirm(first)).as("expired is final at Shine")
                .isInstanceOf(SandboxException.class);

        int pollsBefore = polls();
        assertThat(poll(flowId, 1).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(polls() - pollsBefore).isEqualTo(1);
    }

    /**
     * Two create invocations for one PENDING flow: the first one's call is held at the sandbox while the second
     * creates its request and opens the attempt; then the first answer arrives. Returns the id of that first call,
     * which was recorded after the conflict.
     */
    private String duplicateCreate(String flowId) throws Exception {
        harness.sandbox.injectFault(Fault.delay(Endpoint.CREATE, 1, 600));
        CompletableFuture<JsonNode> held = CompletableFuture.supplyAsync(() -> create(flowId));
        while (harness.sandbox.actionRequests().isEmpty()) {
            Thread.sleep(10);
        }
        String heldId = harness.sandbox.actionRequests().get(0).id();
        assertThat(create(flowId).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(held.get().get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        Flow flow = flow(flowId);
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

    private String recordFlow(String amount) {
        String flowId = UUID.randomUUID().toString();
        harness.services.store().create(Flow.pending(flowId, "bank:transfers:create", UID,
                Json.MAPPER.createObjectNode().put("amount", new java.math.BigDecimal(amount))
                        .put("bankTransferRecipientId", "recipient-7").put("uid", UID),
                Secret.of(harness.sandbox.accessTokenOf(UID)), harness.clock.instant()));
        return flowId;
    }

    private Flow flow(String flowId) {
        return harness.services.store().get(flowId);
    }

    private JsonNode create(String flowId) {
        return record(harness.invoke(CreateActionRequestHandler::new, FlowHarness.event("create-action-request.json", flowId)));
    }

    private JsonNode poll(String flowId, int pollCount) {
        return record(harness.invoke(PollActionRequestHandler::new,
                FlowHarness.event("poll-action-request.json", flowId).put("pollCount", pollCount)));
    }

    private JsonNode execute(String flowId) {
        return record(harness.invoke(ExecuteActionHandler::new, FlowHarness.event("execute-action.json", flowId)));
    }

    private synchronized JsonNode record(JsonNode output) {
        outputs.add(output);
        return output;
    }
}
