package io.scaflow.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Shine's timestamp shape: UTC, nine fraction digits, e.g. {@code 2019-11-28T17:08:17.455967000Z}. */
public final class Timestamps {

    private static final DateTimeFormatter NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return NANOS.format(instant);
    }

    /** Accepts any ISO-8601 instant (any number of fraction digits, 'Z' or an offset). */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("timestamp is empty");
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 timestamp: '" + abbreviate(text) + "'");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
