package io.scaflow.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.config.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** AWS credentials are resolved when a call is signed, never when a client is built or primed. */
class CallTimeCredentialsTest {

    private final List<String> chains = new ArrayList<>();

    @Test
    void theEnvironmentsKeysAreReadAtEachCallAndNoChainIsBuilt() {
        CallTimeCredentials credentials = new CallTimeCredentials(new Env(Map.of("AWS_ACCESS_KEY_ID", "AKIDTEST",
                "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "session")), this::chain);

        AwsSessionCredentials resolved = (AwsSessionCredentials) credentials.resolveCredentials();

        assertThat(resolved.accessKeyId()).isEqualTo("AKIDTEST");
        assertThat(resolved.sessionToken()).isEqualTo("session");
        assertThat(chains).isEmpty();
    }

    @Test
    void withoutKeysTheDefaultChainIsBuiltOnlyWhenAskedAndAgainAfterARefresh() {
        CallTimeCredentials credentials = new CallTimeCredentials(new Env(Map.of()), this::chain);
        assertThat(credentials.chainBuilt()).isFalse();

        assertThat(credentials.resolveCredentials().accessKeyId()).isEqualTo("AKIDCHAIN1");
        assertThat(credentials.resolveCredentials().accessKeyId()).as("the chain is kept").isEqualTo("AKIDCHAIN1");
        assertThat(chains).hasSize(1);
        credentials.refresh();
        assertThat(credentials.chainBuilt()).isFalse();
        assertThat(credentials.resolveCredentials().accessKeyId()).isEqualTo("AKIDCHAIN2");
        assertThat(chains).hasSize(2);
    }

    @Test
    void buildingAClientResolvesNothing() {
        try (var client = AwsClients.dynamoDb(new Env(Map.of("AWS_REGION", "eu-west-3")))) {
            assertThat(client.serviceClientConfiguration().credentialsProvider())
                    .isInstanceOfSatisfying(CallTimeCredentials.class, c -> assertThat(c.chainBuilt()).isFalse());
        }
    }

    private AwsCredentialsProvider chain() {
        chains.add("built");
        AwsCredentials credentials = AwsBasicCredentials.create("AKIDCHAIN" + chains.size(), "secret");
        return () -> credentials;
    }
}
