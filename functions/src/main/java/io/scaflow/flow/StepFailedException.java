package io.scaflow.flow;

import io.scaflow.aws.TransientAwsFailure;
import io.scaflow.log.Log;
import io.scaflow.store.FlowError;
import io.scaflow.store.TokenCipherException;

/**
 * A failure that is not scaflow's own (an SDK's, the JDK's) leaving a handler: only its class is named. The
 * Lambda runtime reports a handler's exception to Step Functions (the execution history's {@code Cause}) and
 * logs it with its causes; a foreign message may quote anything (a request, a header value), so it goes neither
 * there nor into the logs. No state machine Retry names the foreign classes (only scaflow's and {@code Lambda.*}
 * errors), so the routing is the same: RecordFailure's Catch, and the code {@code internal}. A transient AWS
 * failure leaves as {@link AwsUnavailableException} instead, which some states retry.
 */
public final class StepFailedException extends RuntimeException {

    private static final Log LOG = Log.of(StepFailedException.class);

    private StepFailedException(String message) {
        super(message);
    }

    /** What a handler throws for {@code failure}: the failure itself when it is scaflow's own, else one of these. */
    static RuntimeException leaving(String flowId, RuntimeException failure) {
        if (failure instanceof TokenCipherException cipher && cipher.isTransient()) {
            return new AwsUnavailableException(flowId, cipher.getMessage());
        }
        if (FlowError.isScaflows(failure)) {
            return failure;
        }
        LOG.error("step failed", "flowId", flowId, "error", failure.getClass().getName());
        if (TransientAwsFailure.is(failure)) {
            return new AwsUnavailableException(flowId, failure.getClass().getSimpleName()
                    + " (its message is not repeated)");
        }
        return new StepFailedException("flow " + flowId + ": " + FlowError.safeText(failure));
    }
}
