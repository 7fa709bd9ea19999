package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.config.Env;
import io.scaflow.events.EventBridgeBus;
import io.scaflow.events.StatusEvent;
import io.scaflow.aws.AwsClients;
import io.scaflow.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The local status bus through the publisher's own client ({@link EventBridgeBus} over the AWS SDK): each event
 * for the bus becomes one EventBridge envelope, in order, in memory and as a line of the events file; an entry for
 * another bus is refused on its own, and what follows it is not taken by the publisher's contract.
 */
class LocalEventBusTest {

    @TempDir
    Path dir;

    @Test
    void eventsForTheBusBecomeEnvelopesInOrderAndLinesOfTheFile() throws Exception {
        try (LocalEventBus bus = LocalEventBus.start("flows-bus", "eu-west-3", "123456789012");
             EventBridgeClient client = AwsClients.eventBridge(env(bus))) {
            Path file = dir.resolve("events.jsonl");
            bus.writeTo(file);

            int taken = new EventBridgeBus(client, "flows-bus").put(List.of(event("f-1", 1, "PENDING", null),
                    event("f-1", 2, "AWAITING_CONFIRMATION", "PENDING")));

            assertThat(taken).isEqualTo(2);
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(2);
            JsonNode first = Json.MAPPER.readTree(lines.get(0));
            assertThat(first.fieldNames()).toIterable().containsExactly("version", "id", "detail-type", "source",
                    "account", "time", "region", "resources", "detail");
            assertThat(first.path("source").asText()).isEqualTo("scaflow");
            assertThat(first.path("detail-type").asText()).isEqualTo("Flow Status Changed");
            assertThat(first.path("time").asText()).isEqualTo("2026-12-02T10:00:01Z");
            assertThat(first.path("detail").path("sequence").asInt()).isEqualTo(1);
            assertThat(Json.MAPPER.readTree(lines.get(1)).path("detail").path("status").asText())
                    .isEqualTo("AWAITING_CONFIRMATION");
            assertThat(bus.eventsOf("f-1")).hasSize(2);
        }
    }

    @Test
    void anEventForAnotherBusIsRefusedAndNotDelivered() {
        try (LocalEventBus bus = LocalEventBus.start("flows-bus", "eu-west-3", "123456789012");
             EventBridgeClient client = AwsClients.eventBridge(env(bus))) {
            int taken = new EventBridgeBus(client, "another-bus").put(List.of(event("f-1", 1, "PENDING", null)));

            assertThat(taken).isZero();
            assertThat(bus.events()).isEmpty();
        }
    }

    private static StatusEvent event(String flowId, long sequence, String status, String previous) {
        return new StatusEvent(StatusEvent.STATUS_CHANGED, flowId, "bank:transfers:create", status, previous, 0,
                false, false, sequence, "2026-12-02T10:00:01.250Z");
    }

    private static Env env(LocalEventBus bus) {
        return new Env(Map.of("AWS_ENDPOINT_URL_EVENTBRIDGE", bus.endpoint().toString(), "AWS_REGION", "eu-west-3",
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
    }
}
