package io.scaflow.shine;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code Retry-After} header (RFC 9110 section 10.2.3): delay-seconds, or an HTTP-date in any of the three
 * forms a recipient must accept (IMF-fixdate, RFC 850, asctime). A date becomes the time until it, rounded
 * <em>up</em> to whole seconds, so that waiting that long never brings the next call before the date Shine named;
 * a date already past gives zero.
 */
final class RetryAfter {

    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(ChronoField.YEAR, 2, 2, 1970).appendPattern(" HH:mm:ss 'GMT'")
                    .toFormatter(Locale.US).withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US).withZone(ZoneOffset.UTC));

    private RetryAfter() {
    }

    /** The wait the header asks for; null when it is absent or unreadable. */
    static Duration parse(String header, Instant now) {
        String value = header == null ? "" : header.trim();
        if (value.isEmpty()) {
            return null;
        }
        if (value.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        for (DateTimeFormatter format : HTTP_DATES) {
            try {
                return untilRoundedUp(now, format.parse(value, Instant::from));
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }

    private static Duration untilRoundedUp(Instant now, Instant date) {
        Duration until = Duration.between(now, date);
        if (until.isNegative() || until.isZero()) {
            return Duration.ZERO;
        }
        long seconds = until.getSeconds() + (until.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(seconds);
    }
}
