package io.scaflow.flow;

/**
 * A step met an AWS failure that may not come again ({@link io.scaflow.aws.TransientAwsFailure}: throttled, 5xx,
 * no answer) after the SDK's own retries; only the failure's class is named, as for {@link StepFailedException}.
 * The state machines retry the steps that may simply run again (PollActionRequest, RecordFailure) on it;
 * elsewhere, and once those retries run out, RecordFailure's Catch records the code {@code aws-unavailable} (a
 * flow caught while EXECUTING still becomes OUTCOME_UNKNOWN). CreateActionRequest is not retried on it: a retry
 * after Shine made the action request would prompt the user again, under an id the flow never keeps.
 */
public final class AwsUnavailableException extends RuntimeException {

    /** {@code what}: the failure's class name, or a message of scaflow's own (no foreign text). */
    AwsUnavailableException(String flowId, String what) {
        super("flow " + flowId + ": " + what + " (an AWS service throttled the call, failed or did not answer)");
    }
}
