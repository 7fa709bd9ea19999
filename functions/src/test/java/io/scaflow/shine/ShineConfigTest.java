package io.scaflow.shine;

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
}
