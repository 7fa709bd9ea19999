package io.scaflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.config.ConfigurationException;
import io.scaflow.input.InvalidInputException;
import io.scaflow.shine.ShineClientException;
import io.scaflow.shine.ShineMalformedResponseException;
import io.scaflow.shine.ShineOutcomeUnknownException;
import io.scaflow.shine.ShineRateLimitedException;
import io.scaflow.shine.ShineUnavailableException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A stored error always carries a stable code and a message of scaflow's own words. */
class FlowErrorTest {

    private static final String SECRET = "sk_live_0123456789";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "io.scaflow.shine.ShineClientException, shine-rejected-request",
            "io.scaflow.shine.ShineUnavailableException, shine-unavailable",
            "io.scaflow.shine.ShineRateLimitedException, shine-rate-limited",
            "io.scaflow.shine.ShineMalformedResponseException, shine-malformed-answer",
            "io.scaflow.shine.ShineOutcomeUnknownException, outcome-unknown",
            "io.scaflow.input.InvalidInputException, invalid-input",
            "io.scaflow.config.ConfigurationException, configuration",
            "States.Timeout, timeout",
            "Sandbox.Timedout, timeout",
            "States.HeartbeatTimeout, timeout",
            "Scaflow.TokenMissing, token-missing",
            "Scaflow.TokenExpired, token-expired",
            "Scaflow.StartFailed, start-failed",
            "Scaflow.ExecutionAborted, execution-stopped",
            "Scaflow.ExecutionTimedOut, execution-timed-out",
            "Scaflow.ExecutionFailed, execution-failed",
            "States.TaskFailed, internal",
            "Lambda.ServiceException, internal",
            "java.lang.NullPointerException, internal",
            "Scaflow.UnknownError, internal"})
    void aFailureNameBecomesItsStableCode(String name, String code) {
        FlowError error = new FlowError(name, "something happened: " + SECRET);

        assertThat(error.code()).isEqualTo(code);
        assertThat(error.message()).doesNotContain(name).isNotBlank();
        if (!code.equals("invalid-input") && !code.equals("configuration")) {
            assertThat(error.message()).doesNotContain(SECRET).isEqualTo(ErrorCode.of(code).orElseThrow().text());
        }
    }

    @Test
    void theExceptionClassesMapToTheirOwnCodes() {
        assertThat(ErrorCode.forName(ShineClientException.class.getName())).isEqualTo(ErrorCode.SHINE_REJECTED_REQUEST);
        assertThat(ErrorCode.forName(ShineUnavailableException.class.getName())).isEqualTo(ErrorCode.SHINE_UNAVAILABLE);
        assertThat(ErrorCode.forName(ShineRateLimitedException.class.getName())).isEqualTo(ErrorCode.SHINE_RATE_LIMITED);
        assertThat(ErrorCode.forName(ShineMalformedResponseException.class.getName()))
                .isEqualTo(ErrorCode.SHINE_MALFORMED_ANSWER);
        assertThat(ErrorCode.forName(ShineOutcomeUnknownException.class.getName())).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(ErrorCode.forName(InvalidInputException.class.getName())).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(ErrorCode.forName(ConfigurationException.class.getName())).isEqualTo(ErrorCode.CONFIGURATION);
        assertThat(ErrorCode.forName(null)).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void shinesMessageIsDroppedButItsHttpStatusKept() {
        ShineClientException refused = new ShineClientException("POST /v3/bank/transfers", 401,
                "invalid token " + SECRET);
        FlowError error = new FlowError(refused.getClass().getName(), refused.getMessage());

        assertThat(error.code()).isEqualTo("shine-rejected-request");
        assertThat(error.message()).isEqualTo("Shine refused the request; nothing was done (Shine answered HTTP 401)")
                .doesNotContain(SECRET);
        assertThat(new FlowError("io.scaflow.shine.ShineOutcomeUnknownException",
                "POST /v3/bank/transfers answered HTTP 502 (bad gateway); the action may have been done").message())
                .endsWith("(Shine answered HTTP 502)");
        assertThat(new FlowError("States.TaskFailed", "HTTP 500 somewhere").message())
                .isEqualTo(ErrorCode.INTERNAL.text());
    }

    @Test
    void invalidInputAndConfigurationKeepScaflowsOwnAccountShortened() {
        InvalidInputException invalid = new InvalidInputException("uid", "is required");
        assertThat(new FlowError(invalid.getClass().getName(), invalid.getMessage()).message())
                .isEqualTo("invalid input: uid: is required");
        ConfigurationException config = new ConfigurationException("TABLE_NAME", "is not set");
        assertThat(new FlowError(config.getClass().getName(), config.getMessage()).message())
                .isEqualTo("configuration TABLE_NAME is not set");
        assertThat(new FlowError("io.scaflow.input.InvalidInputException", "x".repeat(2_000)).message()).hasSize(503);
        assertThat(new FlowError("io.scaflow.input.InvalidInputException", null).message())
                .isEqualTo(ErrorCode.INVALID_INPUT.text());
    }

    @Test
    void aStableCodeKeepsItsMessage() {
        FlowError error = FlowError.of(ErrorCode.TOKEN_EXPIRED);
        assertThat(new FlowError(error.code(), error.message())).isEqualTo(error);
        assertThat(FlowError.of(ErrorCode.START_FAILED, "3 attempts").message())
                .isEqualTo("the workflow could not be started; nothing was sent to Shine: 3 attempts");
        assertThat(new FlowError("timeout", null).message()).isEqualTo(ErrorCode.TIMEOUT.text());
    }

    @Test
    void codesAreUniqueLowerCaseWords() {
        Set<String> codes = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
        assertThat(codes).hasSize(ErrorCode.values().length).allMatch(c -> c.matches("[a-z]+(-[a-z]+)*"));
        assertThat(ErrorCode.values()).allSatisfy(c -> assertThat(c.text()).isNotBlank().doesNotContain("Exception"));
    }
}
