package io.scaflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.input.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long one follow-up execution (the Express child, {@code statemachine/follow-action-request.asl.json}) keeps
 * polling: an Express execution is stopped after 5 minutes, so the child hands the flow back to its parent once the
 * next poll would come later than {@link #BUDGET} after the child's start, and the parent starts another child.
 * 3 minutes is the longest lifetime Shine's documentation gives an action request; the 2 minutes left are for the
 * last poll step and its retries. The child passes its start ({@code $$.Execution.StartTime}) as
 * {@code followedSince}; a poll without it (a test, an older state machine) has no budget.
 */
final class FollowBudget {

    static final Duration BUDGET = Duration.ofSeconds(180);
    static final String FIELD = "followedSince";

    private FollowBudget() {
    }

    /** The follow-up execution's start, from the poll step's input. */
    static Optional<Instant> followedSince(JsonNode event) {
        JsonNode value = event.get(FIELD);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(FIELD, "must be an ISO-8601 timestamp");
        }
        try {
            return Optional.of(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(FIELD, "must be an ISO-8601 timestamp");
        }
    }

    /** True when a poll {@code waitSeconds} from {@code now} still falls within the follow-up's budget. */
    static boolean allows(Optional<Instant> followedSince, Instant now, long waitSeconds) {
        if (followedSince.isEmpty()) {
            return true;
        }
        Duration elapsed = Duration.between(followedSince.get(), now);
        if (elapsed.isNegative()) {
            elapsed = Duration.ZERO;
        }
        return elapsed.plusSeconds(waitSeconds).compareTo(BUDGET) <= 0;
    }
}
