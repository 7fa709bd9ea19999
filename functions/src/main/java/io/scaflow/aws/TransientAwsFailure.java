package io.scaflow.aws;

import java.io.IOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Whether an AWS SDK failure is one that a later attempt may not meet: the service throttled the call (HTTP 429, or
 * an error code such as DynamoDB's {@code ProvisionedThroughputExceededException}), answered 5xx or a request
 * timeout, or no answer came (an I/O failure, a call or attempt timeout: {@link AwsClients} bounds both). The SDK
 * has already retried those itself when a step sees them, so a step can only hand them to the state machine, whose
 * retries wait longer. A refusal of the request itself (a failed condition, a missing table, a denied action, a bad
 * key) is not transient.
 */
public final class TransientAwsFailure {

    /** 4xx error codes that say the request was not served in time, which the SDK also retries. */
    private static final Set<String> TIMEOUT_CODES = Set.of("RequestTimeout", "RequestTimeoutException",
            "PriorRequestNotComplete");

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
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && TIMEOUT_CODES.contains(aws.awsErrorDetails().errorCode())) {
            return true;
        }
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
