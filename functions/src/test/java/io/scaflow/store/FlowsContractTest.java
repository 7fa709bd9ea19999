package io.scaflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.json.Json;
import io.scaflow.core.Secret;
import io.scaflow.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Flows} keeps, on {@link InMemoryFlows} (the real {@link FlowStore} over the in-memory
 * table): ids recorded once, conditional changes that lose throw {@link FlowConflictException} and write nothing,
 * only the allowed moves, secrets gone and the expiry counted once a flow ends, every action request listed once.
 */
class FlowsContractTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(90);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryFlows flows = new InMemoryFlows(new InMemoryDynamoDb(), RETENTION, clock);

    @Test
    void anIdIsRecordedOnceAndTheFirstFlowStays() {
        flows.create(pending("f-1", "first-token"));

        assertThatThrownBy(() -> flows.create(pending("f-1", "second-token"))).isInstanceOf(FlowExistsException.class);
        assertThat(flows.get("f-1").accessToken()).contains(Secret.of("first-token"));
    }

    @Test
    void aMissingFlowIsEmptyToFindAndNotFoundToGet() {
        assertThat(flows.find("nope")).isEmpty();
        assertThatThrownBy(() -> flows.get("nope")).isInstanceOf(FlowNotFoundException.class);
    }

    @Test
    void aNewFlowIsKeptForTheRetentionFromItsCreation() {
        flows.create(pending("f-1", "token"));

        assertThat(flows.item("f-1").get(FlowItem.TTL).n()).isEqualTo(Long.toString(T0.plus(RETENTION).getEpochSecond()));
    }

    @Test
    void aChangeFromAStatusTheFlowNoLongerHasLosesNamesTheActualStatusAndWritesNothing() {
        flows.create(pending("f-1", "token"));
        flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.CANCELLED, "cancelled"));
        Flow before = flows.get("f-1");
        clock.advanceSeconds(5);

        assertThatThrownBy(() -> flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.FAILED, "late")))
                .isInstanceOfSatisfying(FlowConflictException.class,
                        e -> assertThat(e.actual()).isEqualTo(FlowStatus.CANCELLED));
        assertThat(flows.get("f-1")).isEqualTo(before);
    }

    @Test
    void aChangeToAMissingFlowLosesWithNoActualStatusAndCreatesNothing() {
        assertThatThrownBy(() -> flows.change("ghost", FlowStatus.PENDING, FlowChange.to(FlowStatus.FAILED, "x")))
                .isInstanceOfSatisfying(FlowConflictException.class, e -> assertThat(e.actual()).isNull());
        assertThat(flows.find("ghost")).isEmpty();
    }

    @Test
    void aMoveAlongAnEdgeThatDoesNotExistIsRefusedBeforeAnyWrite() {
        flows.create(pending("f-1", "token"));

        assertThatThrownBy(() -> flows.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.SUCCEEDED, "skip")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(flows.get("f-1").status()).isEqualTo(FlowStatus.PENDING);
    }

    @Test
    void everyMoveIsInTheHistoryWithItsReasonAndAChangeThatKeepsTheStatusAddsNone() {
        flows.create(pending("f-1", "token"));
        clock.advanceSeconds(1);
        flows.change("f-1", FlowStatus.PENDING, opening("ar-1", 1));
        flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION, FlowChange.keepStatus().reminderDue());

        Flow flow = flows.get("f-1");
        assertThat(flow.history()).extracting(StatusChange::status)
                .containsExactly(FlowStatus.PENDING, FlowStatus.AWAITING_CONFIRMATION);
        assertThat(flow.history().get(1).reason()).isEqualTo("opened");
        assertThat(flow.history().get(1).at()).isEqualTo(T0.plusSeconds(1));
        assertThat(flow.reminderDue()).isTrue();
        assertThat(flow.updatedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void aFinalStatusRemovesBothSecretsAndCountsTheExpiryFromTheEnd() {
        confirmed("f-1");
        flows.change("f-1", FlowStatus.CONFIRMED, FlowChange.to(FlowStatus.EXECUTING, "sending").forgetShortLivedToken());
        assertThat(flows.get("f-1").accessToken()).isPresent();
        assertThat(flows.get("f-1").shortLivedToken()).isEmpty();
        clock.advanceSeconds(30);

        flows.change("f-1", FlowStatus.EXECUTING, FlowChange.to(FlowStatus.SUCCEEDED, "done"));

        assertThat(flows.item("f-1")).doesNotContainKeys(FlowItem.ACCESS_TOKEN, FlowItem.SHORT_LIVED_TOKEN);
        assertThat(flows.item("f-1").get(FlowItem.TTL).n())
                .isEqualTo(Long.toString(T0.plusSeconds(30).plus(RETENTION).getEpochSecond()));
    }

    @Test
    void anExpiryThatEndsTheFlowRemovesItsSecretsAndOneThatMayBeRenewedKeepsTheAccessToken() {
        awaiting("renewable", "ar-1");
        awaiting("last", "ar-2");

        flows.change("renewable", FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.EXPIRED, "expired"));
        flows.change("last", FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.EXPIRED, "expired").endsFlow());

        assertThat(flows.get("renewable").accessToken()).isPresent();
        assertThat(flows.get("last").accessToken()).isEmpty();
    }

    @Test
    void aChangeIsLeftAsItWasGivenSoItCanBeUsedAgain() {
        flows.create(pending("f-1", "token"));
        flows.create(pending("f-2", "token"));
        FlowChange failed = FlowChange.to(FlowStatus.FAILED, "failed");

        flows.change("f-1", FlowStatus.PENDING, failed);

        assertThat(failed.removes()).isEmpty();
        assertThat(failed.sets()).isEmpty();
        flows.change("f-2", FlowStatus.PENDING, failed);
        assertThat(flows.get("f-2").accessToken()).isEmpty();
    }

    @Test
    void aChangeForAnotherAttemptLosesThoughTheStatusIsTheSame() {
        awaiting("f-1", "ar-1");
        flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.EXPIRED, "expired"));
        flows.change("f-1", FlowStatus.EXPIRED, opening("ar-2", 2).whileAttempt(1));

        assertThatThrownBy(() -> flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION,
                FlowChange.keepStatus().reminderDue().whileAttempt(1)))
                .isInstanceOfSatisfying(FlowConflictException.class,
                        e -> assertThat(e.actual()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION));
        assertThat(flows.get("f-1").reminderDue()).isFalse();
    }

    @Test
    void aDecisionOnAllRequestsLosesWhenAnotherWasListedMeanwhile() {
        awaiting("f-1", "ar-1");
        int seen = flows.get("f-1").recordedActionRequests();
        flows.record("f-1", KnownActionRequest.received("ar-2", 1, T0.plusSeconds(70)));

        assertThatThrownBy(() -> flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION,
                FlowChange.to(FlowStatus.REJECTED, "rejected").settled(List.of("ar-1"), List.of()).whileActionRequests(seen)))
                .isInstanceOf(FlowConflictException.class);
        assertThat(flows.get("f-1").status()).isEqualTo(FlowStatus.AWAITING_CONFIRMATION);
        assertThat(flows.get("f-1").openActionRequests()).extracting(KnownActionRequest::id).containsExactly("ar-1", "ar-2");
    }

    @Test
    void whatPollsSettledIsKeptPerRequest() {
        awaiting("f-1", "ar-1");
        flows.record("f-1", KnownActionRequest.received("ar-2", 1, T0.plusSeconds(70)));
        flows.record("f-1", KnownActionRequest.received("ar-3", 1, T0.plusSeconds(80)));

        flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION, FlowChange.keepStatus().settled(List.of("ar-1"), List.of("ar-3")));

        assertThat(flows.get("f-1").actionRequests()).extracting(KnownActionRequest::state).containsExactly(
                KnownActionRequest.State.REJECTED, KnownActionRequest.State.OPEN, KnownActionRequest.State.EXPIRED);
    }

    @Test
    void anActionRequestIsListedOnceWhateverTheFlowsStatus() {
        awaiting("f-1", "ar-1");
        flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.CANCELLED, "cancelled"));

        flows.record("f-1", KnownActionRequest.received("ar-2", 1, T0.plusSeconds(70)));
        Flow again = flows.record("f-1", KnownActionRequest.received("ar-2", 1, T0.plusSeconds(70)));

        assertThat(again.actionRequests()).extracting(KnownActionRequest::id).containsExactly("ar-1", "ar-2");
        assertThat(again.status()).isEqualTo(FlowStatus.CANCELLED);
    }

    @Test
    void openingAnAttemptWithARequestAlreadyListedLoses() {
        flows.create(pending("f-1", "token"));
        flows.record("f-1", KnownActionRequest.received("ar-1", 1, T0.plusSeconds(60)));

        assertThatThrownBy(() -> flows.change("f-1", FlowStatus.PENDING, opening("ar-1", 1)))
                .isInstanceOf(FlowConflictException.class);
    }

    @Test
    void aRequestCannotBeListedOnAFlowThatDoesNotExist() {
        assertThatThrownBy(() -> flows.record("ghost", KnownActionRequest.received("ar-1", 1, T0)))
                .isInstanceOf(FlowNotFoundException.class);
        assertThat(flows.find("ghost")).isEmpty();
    }

    @Test
    void aConfirmationStoresTheTokenAndTheRequestConfirmed() {
        awaiting("f-1", "ar-1");
        flows.record("f-1", KnownActionRequest.received("ar-2", 1, T0.plusSeconds(70)));

        Flow flow = flows.change("f-1", FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.CONFIRMED, "confirmed")
                .confirmed("ar-2", T0.plusSeconds(3), Secret.of("slt")));

        assertThat(flow.actionRequestId()).isEqualTo("ar-2");
        assertThat(flow.confirmedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(flow.shortLivedToken()).contains(Secret.of("slt"));
        assertThat(flows.get("f-1")).isEqualTo(flow);
    }

    @Test
    void anAccessTokenCanBeReplacedAndForgottenWithoutAMove() {
        flows.create(pending("f-1", "old"));

        flows.change("f-1", FlowStatus.PENDING, FlowChange.keepStatus().accessToken(Secret.of("new")));
        assertThat(flows.get("f-1").accessToken()).contains(Secret.of("new"));
        flows.change("f-1", FlowStatus.PENDING, FlowChange.keepStatus().forgetSecrets());
        assertThat(flows.get("f-1").accessToken()).isEmpty();
        assertThat(flows.get("f-1").status()).isEqualTo(FlowStatus.PENDING);
    }

    @Test
    void anInterloperActsBetweenTheCallersReadAndItsWrite() {
        flows.create(pending("f-1", "token"));
        flows.beforeNextChange(store -> store.change("f-1", FlowStatus.PENDING, FlowChange.to(FlowStatus.CANCELLED, "api")));

        assertThatThrownBy(() -> flows.change("f-1", FlowStatus.PENDING, opening("ar-1", 1)))
                .isInstanceOfSatisfying(FlowConflictException.class,
                        e -> assertThat(e.actual()).isEqualTo(FlowStatus.CANCELLED));
        assertThat(flows.get("f-1").actionRequests()).isEmpty();
    }

    private static Flow pending(String id, String token) {
        return Flow.pending(id, "bank:transfers:create", "uid-1", Json.MAPPER.createObjectNode().put("amount", 10),
                Secret.of(token), T0);
    }

    private FlowChange opening(String requestId, int attempt) {
        return FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "opened")
                .actionRequest(requestId, attempt, clock.instant(), clock.instant().plusSeconds(60));
    }

    private void awaiting(String id, String requestId) {
        flows.create(pending(id, "token"));
        flows.change(id, FlowStatus.PENDING, opening(requestId, 1));
    }

    private void confirmed(String id) {
        awaiting(id, "ar-1");
        flows.change(id, FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.CONFIRMED, "confirmed")
                .confirmed(clock.instant(), Secret.of("slt")));
    }
}
