package io.scaflow.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.aws.KmsTokenCipher;
import io.scaflow.core.Secret;
import io.scaflow.store.TokenCipherException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.EncryptRequest;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

/** What leaves a step when a failure is not scaflow's own, or is one of the token cipher's. */
class StepFailedExceptionTest {

    private static final Map<String, String> CONTEXT = Map.of("flowId", "f-1", "attribute", "shortLivedToken");

    @Test
    void kmsThrottlingASealLeavesAsAwsUnavailableWithTheCiphersOwnWords() {
        TokenCipherException sealing = sealWith(kmsFailure(400, "ThrottlingException"));

        RuntimeException leaving = StepFailedException.leaving("f-1", sealing);

        assertThat(sealing.isTransient()).isTrue();
        assertThat(leaving).isInstanceOf(AwsUnavailableException.class)
                .hasMessageContaining("shortLivedToken of flow f-1").hasMessageContaining("ThrottlingException")
                .hasMessageNotContaining("token-PLANT").hasMessageNotContaining("kms-PLANT");
    }

    @Test
    void kmsRefusingASealLeavesAsTheCiphersOwnFailure() {
        TokenCipherException sealing = sealWith(kmsFailure(400, "DisabledException"));

        assertThat(sealing.isTransient()).isFalse();
        assertThat(StepFailedException.leaving("f-1", sealing)).isSameAs(sealing);
    }

    private static TokenCipherException sealWith(KmsException failure) {
        KmsClient kms = new KmsClient() {
            @Override
            public EncryptResponse encrypt(EncryptRequest request) {
                throw failure;
            }

            @Override
            public String serviceName() {
                return "kms";
            }

            @Override
            public void close() {
            }
        };
        try {
            new KmsTokenCipher(() -> kms, () -> "key-1").seal(Secret.of("token-PLANT"), CONTEXT);
        } catch (TokenCipherException e) {
            return e;
        }
        throw new AssertionError("the seal did not fail");
    }

    private static KmsException kmsFailure(int status, String code) {
        return (KmsException) KmsException.builder().statusCode(status).message("kms-PLANT")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }
}
