package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxMainTest {

    @Test
    void defaults() {
        SandboxConfig config = SandboxMain.parse(new String[0], null);
        assertThat(config.port()).isEqualTo(4010);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.clientId()).isEqualTo("sandbox-client");
        assertThat(config.clientSecret()).isEqualTo("sandbox-secret");
        assertThat(config.actionRequestLifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.tokenLifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.knownActions()).containsExactly("bank:transfers:create");
    }

    @Test
    void environmentPortThenFlags() {
        assertThat(SandboxMain.parse(new String[0], "4999").port()).isEqualTo(4999);
        SandboxConfig config = SandboxMain.parse(new String[] {"--port", "5001", "--client-id", "c",
            "--client-secret", "s", "--action-lifetime-seconds", "180", "--token-lifetime-seconds", "30",
            "--extra-action", "bank:cards:freeze"}, "4999");
        assertThat(config.port()).isEqualTo(5001);
        assertThat(config.clientId()).isEqualTo("c");
        assertThat(config.clientSecret()).isEqualTo("s");
        assertThat(config.actionRequestLifetime()).isEqualTo(Duration.ofSeconds(180));
        assertThat(config.tokenLifetime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.knownActions()).containsExactlyInAnyOrder("bank:transfers:create", "bank:cards:freeze");
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--port"}, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--port", "x"}, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--colour", "red"}, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
