package io.scaflow.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a flow failed: a stable {@link ErrorCode} code and a readable message, as the API shows them. This is the
 * one place every error text passes before it is stored, logged or returned.
 *
 * <p>The code is always one of {@link ErrorCode}'s. Built from a failure ({@link #of(Throwable)}) or a failure
 * name ({@link #ofFailure}: an exception class or a Step Functions error, as the handlers and {@code RecordFailure}
 * have them), the name is mapped to its code and the given message, which may come from outside scaflow (an SDK,
 * the JDK, Shine) and so may hold anything, is replaced by the code's fixed text, plus the HTTP status when the
 * message of a Shine error names one. Only the messages of the codes whose failures scaflow words itself from
 * field names, reasons and setting names (invalid input, configuration, a malformed token) are kept (shortened).
 * {@link #safeText(Throwable)} is the same rule for log lines and for what leaves a function.
 */
public record FlowError(String code, String message) {

    private static final int MAX_MESSAGE = 500;
    private static final Pattern HTTP_STATUS = Pattern.compile("\\bHTTP ([1-5][0-9]{2})\\b");

    /**
     * A stored error ({@code code} one of {@link ErrorCode}'s, as written by this version: its message is kept), or
     * a failure name and its message (mapped and scrubbed as {@link #ofFailure} does).
     */
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

    /** The error of a failure: its class names the code, its message is kept only when it is scaflow's own. */
    public static FlowError of(Throwable failure) {
        return ofFailure(failure.getClass().getName(), failure.getMessage());
    }

    /**
     * The error of a failure named {@code name} (an exception class, a Step Functions error such as
     * {@code States.Timeout}): always mapped by name, so a name that looks like a stable code keeps no message.
     */
    public static FlowError ofFailure(String name, String message) {
        ErrorCode code = ErrorCode.forName(name);
        return new FlowError(code.code(), describe(code, message));
    }

    /**
     * What may be written about {@code failure} in a log line or in what leaves a function (a Lambda error's
     * message is the execution history's {@code Cause}): its message when it is one of scaflow's exceptions,
     * which word their messages from ids, statuses, field names and setting names only, with no foreign cause;
     * otherwise its class's simple name only.
     */
    public static String safeText(Throwable failure) {
        if (isScaflows(failure)) {
            String message = String.valueOf(failure.getMessage());
            return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
        }
        return failure.getClass().getSimpleName() + " (its message is not repeated)";
    }

    /** True for scaflow's own exceptions without a cause (see {@link #safeText}). */
    public static boolean isScaflows(Throwable failure) {
        return failure.getClass().getName().startsWith("io.scaflow.") && failure.getCause() == null;
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
