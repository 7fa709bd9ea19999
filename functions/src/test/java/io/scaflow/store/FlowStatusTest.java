package io.scaflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FlowStatus's moves, every pair of statuses checked against the table below: forward only, out
 * of a final status never (except a late success after OUTCOME_UNKNOWN), back to PENDING never.
 */
class FlowStatusTest {

    private static final Map<FlowStatus, Set<FlowStatus>> MOVES = Map.of(
            FlowStatus.PENDING, EnumSet.of(FlowStatus.AWAITING_CONFIRMATION, FlowStatus.CANCELLED, FlowStatus.FAILED),
            FlowStatus.AWAITING_CONFIRMATION, EnumSet.of(FlowStatus.CONFIRMED, FlowStatus.REJECTED, FlowStatus.EXPIRED,
                    FlowStatus.CANCELLED, FlowStatus.FAILED),
            FlowStatus.EXPIRED, EnumSet.of(FlowStatus.AWAITING_CONFIRMATION, FlowStatus.CANCELLED, FlowStatus.FAILED),
            FlowStatus.CONFIRMED, EnumSet.of(FlowStatus.EXECUTING, FlowStatus.CANCELLED, FlowStatus.FAILED),
            FlowStatus.EXECUTING, EnumSet.of(FlowStatus.SUCCEEDED, FlowStatus.FAILED, FlowStatus.OUTCOME_UNKNOWN),
            FlowStatus.OUTCOME_UNKNOWN, EnumSet.of(FlowStatus.SUCCEEDED),
            FlowStatus.SUCCEEDED, EnumSet.noneOf(FlowStatus.class),
            FlowStatus.REJECTED, EnumSet.noneOf(FlowStatus.class),
            FlowStatus.CANCELLED, EnumSet.noneOf(FlowStatus.class),
            FlowStatus.FAILED, EnumSet.noneOf(FlowStatus.class));

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (FlowStatus from : FlowStatus.values()) {
            for (FlowStatus to : FlowStatus.values()) {
                pairs.add(Arguments.of(from, to, MOVES.get(from).contains(to)));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("everyPair")
    void aMoveIsAllowedExactlyWhenTheTableHasIt(FlowStatus from, FlowStatus to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void onlyAReconciliationMovesOutcomeUnknownToSucceededOrFailed(FlowStatus from, FlowStatus to, boolean move) {
        boolean reconciliation = from == FlowStatus.OUTCOME_UNKNOWN
                && (to == FlowStatus.SUCCEEDED || to == FlowStatus.FAILED);
        assertThat(from.canBeReconciledTo(to)).isEqualTo(reconciliation);
    }

    @Test
    void theTableNamesEveryStatus() {
        assertThat(MOVES).containsOnlyKeys(FlowStatus.values());
    }

    @Test
    void noStatusMovesToItselfOrBackToPending() {
        for (FlowStatus status : FlowStatus.values()) {
            assertThat(status.canMoveTo(status)).as(status.name()).isFalse();
            assertThat(status.canMoveTo(FlowStatus.PENDING)).as(status.name()).isFalse();
        }
    }

    @Test
    void theFinalStatusesAreThoseWithNoWayOutButALateSuccess() {
        assertThat(EnumSet.allOf(FlowStatus.class).stream().filter(FlowStatus::isFinal))
                .containsExactlyInAnyOrder(FlowStatus.SUCCEEDED, FlowStatus.REJECTED, FlowStatus.CANCELLED,
                        FlowStatus.FAILED, FlowStatus.OUTCOME_UNKNOWN);
        assertThat(FlowStatus.EXPIRED.isFinal()).isFalse();
    }

    @Test
    void theActionMayHaveBeenSentOnlyFromExecutingOn() {
        assertThat(EnumSet.allOf(FlowStatus.class).stream().filter(FlowStatus::isPastExecution))
                .containsExactlyInAnyOrder(FlowStatus.EXECUTING, FlowStatus.SUCCEEDED, FlowStatus.OUTCOME_UNKNOWN);
    }

    @Test
    void noMoveLeadsBackToAStatusBeforeTheActionWasSent() {
        for (FlowStatus from : EnumSet.of(FlowStatus.EXECUTING, FlowStatus.SUCCEEDED, FlowStatus.OUTCOME_UNKNOWN)) {
            for (FlowStatus to : FlowStatus.values()) {
                if (from.canMoveTo(to)) {
                    assertThat(to.isPastExecution() || to == FlowStatus.FAILED).as(from + " -> " + to).isTrue();
                }
            }
        }
    }
}
