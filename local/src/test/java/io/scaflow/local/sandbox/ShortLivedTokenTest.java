package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShortLivedTokenTest {

    private MutableClock clock;
    private ShineSandbox sandbox;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        clock = MutableClock.startingNow();
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0).withClock(clock)
                .withExtraActions(Set.of("bank:cards:freeze")));
        http = new SandboxHttp(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private void assertRefused(SandboxHttp.Reply reply, String because) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        assertThat(reply.json().get("error").get("code").asText()).isEqualTo("SHORT_LIVED_TOKEN_REFUSED");
        assertThat(reply.json().get("error").get("message").asText()).contains(because);
    }

    @Test
    void tokenIsSingleUse() {
        String token = http.confirmedToken("234");
        assertThat(http.transfer(token, "234").status()).isEqualTo(201);
        SandboxHttp.Reply again = http.transfer(token, "234");
        assertRefused(again, "already been used");
        assertThat(again.body()).doesNotContain(token);
        assertThat(sandbox.transfers()).hasSize(1);
    }

    @Test
    void tokenIsBoundToTheConfirmedAmount() {
        String token = http.confirmedToken("234");
        assertRefused(http.transfer(token, "235"), "amount");
        assertRefused(http.transfer(token, "234.01"), "amount");
        assertThat(sandbox.transfers()).isEmpty();
        assertThat(http.transfer(token, "234.00").status()).as("same amount by value").isEqualTo(201);
    }

    @Test
    void tokenIsBoundToTheConfirmedRecipient() {
        String token = http.confirmedToken("234");
        assertRefused(http.transfer(sandbox.accessTokenOf(SandboxHttp.UID), token,
                SandboxHttp.transferPayload("234", "someone-else", SandboxHttp.UID)), "bankTransferRecipientId");
        assertThat(sandbox.transfers()).isEmpty();
    }

    @Test
    void tokenIsBoundToTheConfirmedUid() {
        String token = http.confirmedToken("234");
        assertRefused(http.transfer(sandbox.accessTokenOf("user-2"), token,
                SandboxHttp.transferPayload("234", SandboxHttp.RECIPIENT, "user-2")), "uid");
        assertThat(sandbox.transfers()).isEmpty();
    }

    @Test
    void missingOrUnknownTokenIsRefused() {
        http.confirmedToken("234");
        assertRefused(http.transfer(sandbox.accessTokenOf(SandboxHttp.UID), null,
                SandboxHttp.transferPayload("234", SandboxHttp.RECIPIENT, SandboxHttp.UID)), "missing");
        assertRefused(http.transfer("made-up-token", "234"), "unknown");
    }

    @Test
    void expiredTokenIsRefused() {
        String token = http.confirmedToken("234");
        clock.advance(Duration.ofSeconds(60));
        assertRefused(http.transfer(token, "234"), "expired");
        assertThat(sandbox.transfers()).isEmpty();
    }

    @Test
    void tokenIsValidJustBeforeItsLifetimeEnds() {
        String token = http.confirmedToken("234");
        clock.advance(Duration.ofSeconds(59));
        assertThat(http.transfer(token, "234").status()).isEqualTo(201);
    }

    @Test
    void tokenLifetimeIsConfigurable() {
        sandbox.close();
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0).withClock(clock)
                .withTokenLifetime(Duration.ofSeconds(5)));
        http = new SandboxHttp(sandbox);
        String token = http.confirmedToken("234");
        clock.advance(Duration.ofSeconds(5));
        assertRefused(http.transfer(token, "234"), "expired");
    }

    @Test
    void tokenOfAnotherActionCannotPayATransfer() {
        String id = http.create(SandboxHttp.createBody("bank:cards:freeze", SandboxHttp.UID, "{\"cardId\": \"c\"}",
                sandbox.clientId(), sandbox.clientSecret())).data().get("authenticationActionRequestId").asText();
        sandbox.confirm(id);
        String token = http.poll(id).data().get("token").asText();
        assertRefused(http.transfer(token, "234"), "another action");
    }

    @Test
    void tokenOfOneRequestCannotPayAnother() {
        String first = http.confirmedToken("100");
        String second = http.confirmedToken("200");
        assertRefused(http.transfer(first, "200"), "amount");
        assertThat(http.transfer(second, "200").status()).isEqualTo(201);
        assertThat(http.transfer(first, "100").status()).isEqualTo(201);
    }
}
