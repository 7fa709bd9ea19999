package io.scaflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.json.Json;
import io.scaflow.core.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The flow item's tokens: ciphertext only, bound to their flow and their attribute, decrypted only when used. */
class FlowTokensTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final String ACCESS = "user-access-token-7f3a";

    private final FakeTokenCipher cipher = new FakeTokenCipher();
    private final FlowTokens tokens = new FlowTokens(cipher);

    @Test
    void theItemHoldsCiphertextAndNoTokenText() {
        Map<String, AttributeValue> item = FlowItem.toItem(pending("flow-1", ACCESS), 1L, tokens);

        AttributeValue stored = item.get(FlowItem.ACCESS_TOKEN);
        assertThat(stored.b()).isNotNull();
        assertThat(stored.s()).isNull();
        assertThat(new String(stored.b().asByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain(ACCESS);
        assertThat(item).doesNotContainKeys("accessToken", "shortLivedToken");
        assertThat(item.toString()).doesNotContain(ACCESS);
        assertThat(cipher.seals).hasValue(1);
    }

    @Test
    void readingAFlowDecryptsNothingUntilTheTokenIsUsed() {
        Map<String, AttributeValue> item = FlowItem.toItem(pending("flow-1", ACCESS), 1L, tokens);

        Flow flow = FlowItem.fromItem(item, tokens, false);

        assertThat(flow.accessToken()).isPresent();
        assertThat(cipher.opens).hasValue(0);
        assertThat(flow.accessToken().get().reveal()).isEqualTo(ACCESS);
        assertThat(flow.accessToken().get().reveal()).isEqualTo(ACCESS);
        assertThat(cipher.opens).as("decrypted once").hasValue(1);
    }

    @Test
    void readingWithTokensDecryptsAtOnce() {
        Map<String, AttributeValue> item = FlowItem.toItem(pending("flow-1", ACCESS), 1L, tokens);

        Flow flow = FlowItem.fromItem(item, tokens, true);

        assertThat(cipher.opens).hasValue(1);
        assertThat(flow.accessToken().get().isOpen()).isTrue();
    }

    @Test
    void aCiphertextMovedToAnotherFlowDoesNotOpen() {
        Map<String, AttributeValue> victim = FlowItem.toItem(pending("flow-victim", ACCESS), 1L, tokens);
        Map<String, AttributeValue> other = new HashMap<>(FlowItem.toItem(pending("flow-other", "other-token"), 1L, tokens));
        other.put(FlowItem.ACCESS_TOKEN, victim.get(FlowItem.ACCESS_TOKEN));

        Secret moved = FlowItem.fromItem(other, tokens, false).accessToken().orElseThrow();

        assertThatThrownBy(moved::reveal).isInstanceOf(TokenCipherException.class)
                .hasMessageContaining("flow-other").hasMessageNotContaining(ACCESS);
        assertThatThrownBy(() -> FlowItem.fromItem(other, tokens, true)).isInstanceOf(TokenCipherException.class);
    }

    @Test
    void anAccessTokenCiphertextDoesNotOpenAsTheShortLivedToken() {
        Map<String, AttributeValue> item = new HashMap<>(FlowItem.toItem(pending("flow-1", ACCESS), 1L, tokens));
        item.put(FlowItem.SHORT_LIVED_TOKEN, item.get(FlowItem.ACCESS_TOKEN));

        Secret swapped = FlowItem.fromItem(item, tokens, false).shortLivedToken().orElseThrow();

        assertThatThrownBy(swapped::reveal).isInstanceOf(TokenCipherException.class)
                .hasMessageContaining("shortLivedToken");
    }

    @Test
    void aPlainTextTokenOfAnOlderItemIsNotRead() {
        Map<String, AttributeValue> item = new HashMap<>(FlowItem.toItem(pending("flow-1", ACCESS), 1L, tokens));
        item.remove(FlowItem.ACCESS_TOKEN);
        item.put("accessToken", AttributeValue.fromS(ACCESS));

        assertThat(FlowItem.fromItem(item, tokens, true).accessToken()).isEmpty();
    }

    @Test
    void forgettingTokensRemovesTheOlderPlainTextAttributesToo() {
        FlowChange change = FlowChange.to(FlowStatus.CANCELLED, "test").accessToken(Secret.of(ACCESS)).forgetSecrets();

        assertThat(change.tokens()).isEmpty();
        assertThat(change.removes()).contains(FlowItem.ACCESS_TOKEN, FlowItem.SHORT_LIVED_TOKEN,
                "accessToken", "shortLivedToken");
        assertThat(change.sets()).isEmpty();
    }

    @Test
    void aTokenKmsCannotEncryptIsRefusedWithoutItsText() {
        String huge = "t".repeat(FlowTokens.MAX_TOKEN_BYTES + 1);

        assertThatThrownBy(() -> FlowItem.toItem(pending("flow-1", huge), 1L, tokens))
                .isInstanceOf(TokenCipherException.class)
                .hasMessageContaining("4096 bytes").hasMessageNotContaining("tttttttt");
        assertThat(cipher.seals).hasValue(0);
    }

    private static Flow pending(String flowId, String token) {
        return Flow.pending(flowId, "bank:transfers:create", "uid-1",
                Json.MAPPER.createObjectNode().put("amount", 10), Secret.of(token), T0);
    }
}
