package io.scaflow.shine;

import io.scaflow.core.Secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.config.ConfigurationException;
import io.scaflow.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShineConfigTest {

    private static final ClientCredentials CREDENTIALS = new ClientCredentials("c", Secret.of("s"));

    @Test
    void theExecuteCallHasItsOwnLongerTimeoutByDefault() {
        ShineConfig config = ShineConfig.fromEnv(new Env(Map.of("SHINE_API_BASE_URL", "https://shine.example/")),
                CREDENTIALS);

        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.executeTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.executeTimeout()).isGreaterThan(config.requestTimeout());
    }

    @Test
    void theTimeoutsComeFromTheEnvironment() {
        ShineConfig config = ShineConfig.fromEnv(new Env(Map.of("SHINE_API_BASE_URL", "https://shine.example",
                "SHINE_REQUEST_TIMEOUT_MS", "1200", "SHINE_EXECUTE_TIMEOUT_MS", "9000")), CREDENTIALS);

        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(1200));
        assertThat(config.executeTimeout()).isEqualTo(Duration.ofMillis(9000));
    }

    @Test
    void aTimeoutThatIsNotPositiveIsRefusedByName() {
        assertThatThrownBy(() -> ShineConfig.fromEnv(new Env(Map.of("SHINE_API_BASE_URL", "https://shine.example",
                "SHINE_EXECUTE_TIMEOUT_MS", "0")), CREDENTIALS))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("SHINE_EXECUTE_TIMEOUT_MS");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"http://api.shine.fr", "http://10.0.0.7:8080",
            "http://localhost.evil.example", "ftp://api.shine.fr", "https://user:pw@api.shine.fr",
            "https://api.shine.fr?x=1", "https://api.shine.fr#x", "https:///v3"})
    void shineIsReachedOverHttpsOutsideTheLocalStack(String url) {
        assertThatThrownBy(() -> ShineConfig.fromEnv(new Env(Map.of("SHINE_API_BASE_URL", url)), CREDENTIALS))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("SHINE_API_BASE_URL");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"https://api.shine.fr", "https://api.shine.fr/",
            "http://127.0.0.1:4010", "http://localhost:4010", "http://[::1]:4010", "https://shine.example/base"})
    void httpsAnywhereAndHttpOnTheLoopbackAreAccepted(String url) {
        assertThat(ShineConfig.fromEnv(new Env(Map.of("SHINE_API_BASE_URL", url)), CREDENTIALS).baseUrl().toString())
                .doesNotEndWith("/");
    }
}
