package io.scaflow.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a flow failed: a stable {@link ErrorCode} code and a readable message, as the API shows them.
 *
 * <p>The code is always one of {@link ErrorCode}'s. Built from a failure name instead (an exception class or a
 * Step Functions error, as the handlers and {@code RecordFailure} have them), the name is mapped to its code and the
 * given message, which may come from outside scaflow (an SDK, Shine) and so may hold anything, is replaced by the
 * code's fixed text, plus the HTTP status when the message of a Shine error names one. Only the messages of invalid input and
 * configuration errors, which scaflow writes itself from field names and reasons, are kept (shortened).
 */
public record FlowError(String code, String message) {

    private static final int MAX_MESSAGE = 500;
    private static final Pattern HTTP_STATUS = Pattern.compile("\\bHTTP ([1-5][0-9]{2})\\b");

    public FlowError {
        ErrorCode known = ErrorCode.of(code).orElse(null);
        if (known == null) {
            known = ErrorCode.forName(code);
            message = describe(known, message);
        } else if (message == null || message.isBlank()) {
            message = known.text();
        }
        code = known.code();
    }

    public static FlowError of(ErrorCode code) {
        return new FlowError(code.code(), code.text());
    }

    /** The code's text and a detail of scaflow's own (an id, a status, a count: never a message from elsewhere). */
    public static FlowError of(ErrorCode code, String detail) {
        return new FlowError(code.code(), detail == null || detail.isBlank() ? code.text() : code.text() + ": " + detail);
    }

    private static String describe(ErrorCode code, String message) {
        String given = message == null ? "" : message;
        if (code.keepsMessage() && !given.isBlank()) {
            return given.length() <= MAX_MESSAGE ? given : given.substring(0, MAX_MESSAGE) + "...";
        }
        Matcher status = HTTP_STATUS.matcher(given);
        return code.isShineAnswer() && status.find() ? code.text() + " (Shine answered HTTP " + status.group(1) + ")"
                : code.text();
    }
}
