package io.scaflow.flow;

/**
 * A step met an AWS failure that may not come again ({@link io.scaflow.aws.TransientAwsFailure}: throttled, 5xx,
 * no answer) after the SDK's own retries; only the failure's class is named, as for {@link StepFailedException}.
 * The state machines retry the steps that may simply run again (CreateActionRequest, PollActionRequest,
 * RecordFailure) on it with a longer backoff; elsewhere, and once those retries run out, RecordFailure's Catch
 * records the code {@code aws-unavailable} (a flow caught while EXECUTING still becomes OUTCOME_UNKNOWN).
 */
public final class AwsUnavailableException extends RuntimeException {

    AwsUnavailableException(String flowId, Throwable failure) {
        super("flow " + flowId + ": " + failure.getClass().getSimpleName()
                + " (an AWS service throttled the call, failed or did not answer; its message is not repeated)");
    }
}
