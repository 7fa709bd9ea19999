package io.scaflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.json.Json;
import io.scaflow.core.Secret;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The flow item's list of action requests, and an item written before the list existed. */
class FlowItemTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final FlowTokens TOKENS = new FlowTokens(new FakeTokenCipher());

    @Test
    void aNewFlowHasAnEmptyListAndNoIdSet() {
        Map<String, AttributeValue> item = FlowItem.toItem(pending(), 1L, TOKENS);

        assertThat(item.get(FlowItem.ACTION_REQUESTS).l()).isEmpty();
        assertThat(item).doesNotContainKeys(FlowItem.ACTION_REQUEST_IDS, FlowItem.REJECTED_IDS, FlowItem.EXPIRED_IDS);
        assertThat(FlowItem.fromItem(item, TOKENS, false).actionRequests()).isEmpty();
    }

    @Test
    void listedRequestsReadBackWithWhatPollsSettled() {
        Map<String, AttributeValue> item = FlowItem.toItem(pending(), 1L, TOKENS);
        item.put(FlowItem.STATUS, AttributeValue.fromS("AWAITING_CONFIRMATION"));
        item.put(FlowItem.ACTION_REQUEST_ID, AttributeValue.fromS("ar-2"));
        item.put(FlowItem.ACTION_REQUESTS, AttributeValue.fromL(List.of(
                FlowItem.actionRequest(KnownActionRequest.received("ar-2", 1, T0.plusSeconds(65))),
                FlowItem.actionRequest(KnownActionRequest.received("ar-1", 1, T0.plusSeconds(60))),
                FlowItem.actionRequest(KnownActionRequest.received("ar-3", 1, T0.plusSeconds(70))))));
        item.put(FlowItem.ACTION_REQUEST_IDS, AttributeValue.fromSs(List.of("ar-1", "ar-2", "ar-3")));
        item.put(FlowItem.REJECTED_IDS, AttributeValue.fromSs(List.of("ar-1")));
        item.put(FlowItem.EXPIRED_IDS, AttributeValue.fromSs(List.of("ar-3")));

        Flow flow = FlowItem.fromItem(item, TOKENS, false);

        assertThat(flow.actionRequests()).extracting(KnownActionRequest::id).containsExactly("ar-2", "ar-1", "ar-3");
        assertThat(flow.actionRequests()).extracting(KnownActionRequest::state).containsExactly(
                KnownActionRequest.State.OPEN, KnownActionRequest.State.REJECTED, KnownActionRequest.State.EXPIRED);
        assertThat(flow.actionRequests().get(0).expiresAt()).isEqualTo(T0.plusSeconds(65));
        assertThat(flow.openActionRequests()).extracting(KnownActionRequest::id).containsExactly("ar-2");
        assertThat(flow.recordedActionRequests()).isEqualTo(3);
        assertThat(FlowItem.fromItem(FlowItem.toItem(flow, 1L, TOKENS), TOKENS, false)).isEqualTo(flow);
    }

    @Test
    void anItemFromBeforeTheListHasItsOneRequest() {
        Map<String, AttributeValue> item = new HashMap<>(FlowItem.toItem(pending(), 1L, TOKENS));
        item.remove(FlowItem.ACTION_REQUESTS);
        item.put(FlowItem.STATUS, AttributeValue.fromS("AWAITING_CONFIRMATION"));
        item.put(FlowItem.ACTION_REQUEST_ID, AttributeValue.fromS("ar-old"));
        item.put(FlowItem.ATTEMPT, AttributeValue.fromN("2"));
        item.put(FlowItem.EXPIRES_AT, AttributeValue.fromS("2026-11-28T10:01:00Z"));

        Flow flow = FlowItem.fromItem(item, TOKENS, false);

        assertThat(flow.openActionRequests()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("ar-old");
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.expiresAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(r.recorded()).isFalse();
        });
        assertThat(flow.recordedActionRequests()).isZero();
    }

    private static Flow pending() {
        return Flow.pending("flow-1", "bank:transfers:create", "uid-1",
                Json.MAPPER.createObjectNode().put("amount", 10), Secret.of("access"), T0);
    }
}
