package io.scaflow.flow;

/**
 * Another ExecuteAction invocation is sending the flow's action and its outcome was not known before this
 * invocation ran out of time. This one sent nothing. The state machine retries ExecuteAction on it (the retry
 * waits again); should the retries run out, RecordFailure ends a flow still EXECUTING as OUTCOME_UNKNOWN, which the
 * sending invocation turns into its real outcome if it still records one.
 */
public final class ExecutionInProgressException extends RuntimeException {

    public ExecutionInProgressException(String flowId) {
        super("flow " + flowId + ": another invocation is sending the action and its outcome is not known yet; "
                + "nothing was sent by this one");
    }
}
