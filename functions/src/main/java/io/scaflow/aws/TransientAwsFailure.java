package io.scaflow.aws;

import java.io.IOException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Whether an AWS SDK failure is one that a later attempt may not meet: the service throttled the call (HTTP 429, or
 * an error code such as DynamoDB's {@code ProvisionedThroughputExceededException}), answered 5xx, or no answer came
 * (an I/O failure, a call or attempt timeout). The SDK has already retried those itself when a step sees them, so
 * a step can only hand them to the state machine, whose retries wait longer. A refusal of the request itself (a
 * failed condition, a missing table, a denied action, a bad key) is not transient.
 */
public final class TransientAwsFailure {

    private TransientAwsFailure() {
    }

    /** Whether {@code failure}, or the first AWS SDK failure among its causes, is transient. */
    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SdkException) {
                return transientSdk(t);
            }
        }
        return false;
    }

    private static boolean transientSdk(Throwable failure) {
        if (failure instanceof SdkServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (failure instanceof SdkClientException) {
            for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException) {
                    return true;
                }
            }
        }
        return false;
    }
}
