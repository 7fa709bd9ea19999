package io.scaflow.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.config.Env;
import io.scaflow.input.InvalidInputException;
import io.scaflow.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The poll cadence (fast first, slower later) and the follow-up execution's time budget. */
class PollPacingTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final FlowSettings defaults = FlowSettings.fromEnv(new Env(Map.of()));

    @Test
    void pollsEveryTwoSecondsForTwentySecondsThenEveryFive() {
        assertThat(PollCadence.interval(defaults, T0, T0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(PollCadence.interval(defaults, T0, T0.plusSeconds(19))).isEqualTo(Duration.ofSeconds(2));
        assertThat(PollCadence.interval(defaults, T0, T0.plusSeconds(20))).isEqualTo(Duration.ofSeconds(5));
        assertThat(PollCadence.interval(defaults, T0, T0.plusSeconds(170))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theCadenceFollowsTheEnvironmentAndNeverSlowsBelowTheFirstInterval() {
        FlowSettings tuned = FlowSettings.fromEnv(new Env(Map.of("POLL_INTERVAL_SECONDS", "3",
                "LATE_POLL_INTERVAL_SECONDS", "10", "FAST_POLL_PHASE_SECONDS", "12")));
        assertThat(PollCadence.interval(tuned, T0, T0.plusSeconds(11))).isEqualTo(Duration.ofSeconds(3));
        assertThat(PollCadence.interval(tuned, T0, T0.plusSeconds(12))).isEqualTo(Duration.ofSeconds(10));

        FlowSettings inverted = FlowSettings.fromEnv(new Env(Map.of("POLL_INTERVAL_SECONDS", "8")));
        assertThat(PollCadence.interval(inverted, T0, T0.plusSeconds(60))).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void anItemWithoutItsWaitingStartPollsAtTheFirstInterval() {
        assertThat(PollCadence.interval(defaults, null, T0)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aFollowUpPollsAgainOnlyWhileTheNextPollFitsInItsBudget() {
        Optional<Instant> since = Optional.of(T0);
        assertThat(FollowBudget.allows(since, T0.plusSeconds(170), 5)).isTrue();
        assertThat(FollowBudget.allows(since, T0.plusSeconds(175), 5)).isTrue();
        assertThat(FollowBudget.allows(since, T0.plusSeconds(176), 5)).isFalse();
        // a Retry-After longer than what is left hands the flow back at once
        assertThat(FollowBudget.allows(since, T0.plusSeconds(10), 171)).isFalse();
    }

    @Test
    void withoutTheFollowUpsStartThereIsNoBudget() {
        assertThat(FollowBudget.allows(Optional.empty(), T0, 100_000)).isTrue();
    }

    @Test
    void aClockBehindTheFollowUpsStartCountsAsNoTimeSpent() {
        assertThat(FollowBudget.allows(Optional.of(T0), T0.minusSeconds(30), 180)).isTrue();
        assertThat(FollowBudget.allows(Optional.of(T0), T0.minusSeconds(30), 181)).isFalse();
    }

    @Test
    void theFollowUpsStartIsReadFromThePollInput() {
        assertThat(FollowBudget.followedSince(json("{\"followedSince\": \"2026-12-01T10:00:00.123Z\"}")))
                .contains(Instant.parse("2026-12-01T10:00:00.123Z"));
        assertThat(FollowBudget.followedSince(json("{}"))).isEmpty();
        assertThatThrownBy(() -> FollowBudget.followedSince(json("{\"followedSince\": \"yesterday\"}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("followedSince");
        assertThatThrownBy(() -> FollowBudget.followedSince(json("{\"followedSince\": 12}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("followedSince");
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
