package io.scaflow.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;

class TransientAwsFailureTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("DynamoDB throttled", service(ProvisionedThroughputExceededException.builder(), 400,
                        "ProvisionedThroughputExceededException"), true),
                Arguments.of("any service answering 429", service(AwsServiceException.builder(), 429, "Whatever"), true),
                Arguments.of("a 5xx", service(InternalServerErrorException.builder(), 500, "InternalServerError"), true),
                Arguments.of("KMS failing", service(KmsInternalException.builder(), 500, "KMSInternalException"), true),
                Arguments.of("no answer", SdkClientException.create("unable to execute",
                        new SocketTimeoutException("read timed out")), true),
                Arguments.of("the call's time limit", ApiCallTimeoutException.create(2000), true),
                Arguments.of("a request timeout", service(AwsServiceException.builder(), 400, "RequestTimeout"), true),
                Arguments.of("the cause of another exception", new IllegalStateException("failed",
                        service(KmsInternalException.builder(), 500, "KMSInternalException")), true),
                Arguments.of("a failed condition", service(ConditionalCheckFailedException.builder(), 400,
                        "ConditionalCheckFailedException"), false),
                Arguments.of("a missing table", service(ResourceNotFoundException.builder(), 400,
                        "ResourceNotFoundException"), false),
                Arguments.of("a denied action", service(AwsServiceException.builder(), 400, "AccessDeniedException"),
                        false),
                Arguments.of("no credentials", SdkClientException.create("Unable to load credentials"), false),
                Arguments.of("no AWS failure at all", new UncheckedIOException(new IOException("disk")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailureALaterAttemptMayNotMeetIsTransient(String what, Throwable failure, boolean transientFailure) {
        assertThat(TransientAwsFailure.is(failure)).as(what).isEqualTo(transientFailure);
    }

    private static AwsServiceException service(AwsServiceException.Builder builder, int status, String code) {
        return (AwsServiceException) builder.statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }
}
