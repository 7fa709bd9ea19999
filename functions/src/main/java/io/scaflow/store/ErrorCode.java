package io.scaflow.store;

import io.scaflow.config.ConfigurationException;
import io.scaflow.input.InvalidInputException;
import io.scaflow.core.MalformedTokenException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The stable codes of a flow's {@code error} (the API's {@code error.code}, listed in docs/api.md), each with a
 * fixed text. Step Functions and the handlers name failures by exception class or {@code States.*} name;
 * {@link #forName} maps those names here, so no Java class name reaches the API.
 */
public enum ErrorCode {

    SHINE_REJECTED_REQUEST("shine-rejected-request", "Shine refused the request; nothing was done"),
    SHINE_UNAVAILABLE("shine-unavailable", "Shine could not be reached or kept failing; nothing was done"),
    SHINE_RATE_LIMITED("shine-rate-limited", "Shine kept answering 429 (too many requests); nothing was done"),
    SHINE_MALFORMED_ANSWER("shine-malformed-answer", "Shine's answer did not match its documentation"),
    OUTCOME_UNKNOWN("outcome-unknown",
            "the action may have reached Shine and no usable answer came: check the account before doing it again"),
    INVALID_INPUT("invalid-input", "the input is invalid"),
    CONFIGURATION("configuration", "scaflow is not configured correctly"),
    TIMEOUT("timeout", "a step took longer than its time limit"),
    TOKEN_MISSING("token-missing", "the short-lived token or the access token is not stored; nothing was sent"),
    TOKEN_EXPIRED("token-expired", "the short-lived token expired before the action could be sent; nothing was sent"),
    TOKEN_MALFORMED("token-malformed", "a token cannot be sent in an HTTP header as it is; nothing was sent"),
    START_FAILED("start-failed", "the workflow could not be started; nothing was sent to Shine"),
    EXECUTION_STOPPED("execution-stopped", "the flow's execution was stopped before the flow ended"),
    EXECUTION_TIMED_OUT("execution-timed-out", "the flow's execution timed out before the flow ended"),
    EXECUTION_FAILED("execution-failed", "the flow's execution failed before the flow ended"),
    AWS_UNAVAILABLE("aws-unavailable", "an AWS service scaflow uses kept throttling, failing or not answering"),
    INTERNAL("internal", "an unexpected error stopped the flow");

    /**
     * Failure names (exception classes, Step Functions errors, scaflow's own) and their codes. The Shine client's
     * exceptions are named, not imported: the store does not depend on the client.
     */
    private static final Map<String, ErrorCode> NAMES = Map.ofEntries(
            Map.entry("io.scaflow.shine.ShineClientException", SHINE_REJECTED_REQUEST),
            Map.entry("io.scaflow.shine.ShineUnavailableException", SHINE_UNAVAILABLE),
            Map.entry("io.scaflow.shine.ShineRateLimitedException", SHINE_RATE_LIMITED),
            Map.entry("io.scaflow.shine.ShineMalformedResponseException", SHINE_MALFORMED_ANSWER),
            Map.entry("io.scaflow.shine.ShineOutcomeUnknownException", OUTCOME_UNKNOWN),
            Map.entry(InvalidInputException.class.getName(), INVALID_INPUT),
            Map.entry(ConfigurationException.class.getName(), CONFIGURATION),
            Map.entry(MalformedTokenException.class.getName(), TOKEN_MALFORMED),
            // io.scaflow.flow and io.scaflow.shine depend on this package: named, not imported (ErrorCodeTest
            // checks that every io.scaflow name is a loadable exception class)
            Map.entry("io.scaflow.flow.ExecutionInProgressException", OUTCOME_UNKNOWN),
            Map.entry("io.scaflow.flow.AwsUnavailableException", AWS_UNAVAILABLE),
            Map.entry("States.Timeout", TIMEOUT),
            Map.entry("States.HeartbeatTimeout", TIMEOUT),
            Map.entry("Sandbox.Timedout", TIMEOUT),
            Map.entry("Scaflow.TokenMissing", TOKEN_MISSING),
            Map.entry("Scaflow.TokenExpired", TOKEN_EXPIRED),
            Map.entry("Scaflow.StartFailed", START_FAILED),
            Map.entry("Scaflow.ExecutionAborted", EXECUTION_STOPPED),
            Map.entry("Scaflow.ExecutionTimedOut", EXECUTION_TIMED_OUT),
            Map.entry("Scaflow.ExecutionFailed", EXECUTION_FAILED));

    private final String code;
    private final String text;

    ErrorCode(String code, String text) {
        this.code = code;
        this.text = text;
    }

    /** The code as the API shows it, e.g. {@code shine-rejected-request}. */
    public String code() {
        return code;
    }

    /** The fixed, readable text of the code. */
    public String text() {
        return text;
    }

    /** The code whose {@link #code()} is {@code code}. */
    public static Optional<ErrorCode> of(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }

    /** Every failure name mapped to a code. */
    static java.util.Set<String> names() {
        return NAMES.keySet();
    }

    /** The code of a failure name; {@link #INTERNAL} for a name scaflow does not know. */
    public static ErrorCode forName(String name) {
        return name == null ? INTERNAL : NAMES.getOrDefault(name, INTERNAL);
    }

    /** True for the codes of an answer from Shine, whose HTTP status is a safe detail. */
    boolean isShineAnswer() {
        return this == SHINE_REJECTED_REQUEST || this == SHINE_UNAVAILABLE || this == SHINE_MALFORMED_ANSWER
                || this == OUTCOME_UNKNOWN;
    }

    /**
     * True when the failure's own message is scaflow's account of the caller's input or settings (field names and
     * reasons, setting names, which token and which secret), kept as detail.
     */
    boolean keepsMessage() {
        return this == INVALID_INPUT || this == CONFIGURATION || this == TOKEN_MALFORMED;
    }
}
