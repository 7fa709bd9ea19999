package io.scaflow.shine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-28T13:29:49.400Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0, 0", "1, 1", "7, 7", "' 120 ', 120", "999999999, 999999999"})
    void delaySecondsAreTakenAsTheyAre(String header, long seconds) {
        assertThat(RetryAfter.parse(header, NOW)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // 5.6 s away: 6 s, never 5 (which would call 0.4 s before the date)
            "'Sat, 28 Nov 2026 13:29:55 GMT', 6",
            "'Sat, 28 Nov 2026 13:29:50 GMT', 1",
            // RFC 850 and asctime, which a recipient must accept too
            "'Saturday, 28-Nov-26 13:29:55 GMT', 6",
            "'Sat Nov 28 13:29:55 2026', 6"})
    void anHttpDateIsRoundedUpToWholeSeconds(String header, long seconds) {
        Duration wait = RetryAfter.parse(header, NOW);

        assertThat(wait).isEqualTo(Duration.ofSeconds(seconds));
        assertThat(NOW.plus(wait)).isAfterOrEqualTo(Instant.parse("2026-11-28T13:29:50Z"));
    }

    @Test
    void aDateOnAWholeSecondIsNotRoundedFurther() {
        Instant now = Instant.parse("2026-11-28T13:29:49Z");

        assertThat(RetryAfter.parse("Sat, 28 Nov 2026 13:29:52 GMT", now)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aSingleDigitDayInAsctimeIsPadded() {
        Instant now = Instant.parse("2026-11-06T08:49:30.500Z");

        assertThat(RetryAfter.parse("Fri Nov  6 08:49:37 2026", now)).isEqualTo(Duration.ofSeconds(7));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Sat, 28 Nov 2026 13:29:49 GMT", "Fri, 27 Nov 2026 13:29:55 GMT"})
    void aDateNowOrPastGivesZero(String header) {
        assertThat(RetryAfter.parse(header, NOW)).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "  ", "-1", "1.5", "soon", "2026-11-28T13:29:55Z", "1234567890123"})
    void anAbsentOrUnreadableValueGivesNull(String header) {
        assertThat(RetryAfter.parse(header, NOW)).isNull();
    }

    @Test
    void noHeaderGivesNull() {
        assertThat(RetryAfter.parse(null, NOW)).isNull();
    }
}
