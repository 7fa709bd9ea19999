package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status events of whole flows on the local stack: the real state machine and handlers write the flow table,
 * its stream (moto) reaches the real publisher through the local event source mapping, and what the publisher puts
 * on the bus is read back as EventBridge delivers it. Each flow's events come in the order of its sequence
 * (1, 2, 3, ... without a gap), one per status change plus the reminder, and hold none of the run's secrets.
 */
@Timeout(180)
class StatusEventsEndToEndTest {

    private static final Duration MAX_RUN = Duration.ofSeconds(40);
    private static final Set<String> DETAIL_FIELDS = Set.of("flowId", "action", "status", "previousStatus",
            "attempt", "reminder", "ended", "sequence", "time");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    // Requests live 3 s; the reminder is due after 1 s of waiting, so a request left unanswered gives one.
    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast().parameters(Map.of("ReminderDelaySeconds", "1"))
            .sandbox(config -> config.withActionRequestLifetime(Duration.ofSeconds(3)));
    private static final E2eDriver driver = STACK.driver();

    @Test
    void aConfirmedFlowsEventsAreItsFiveStatusChangesInOrder() throws InterruptedException {
        String uid = driver.newUser("ev-confirm", UserPolicy.confirmAfter(200));

        String id = start(uid);
        List<ObjectNode> events = driver.stack().eventBus().awaitEnd(id, MAX_RUN);

        assertThat(statuses(events)).containsExactly("PENDING", "AWAITING_CONFIRMATION", "CONFIRMED", "EXECUTING",
                "SUCCEEDED");
        assertWellFormed(id, events, uid);
        assertThat(statusChanges(events).get(4).path("detail").path("previousStatus").asText()).isEqualTo("EXECUTING");
    }

    @Test
    void aRejectedFlowEndsWithItsRejection() throws InterruptedException {
        String uid = driver.newUser("ev-reject", UserPolicy.rejectAfter(200));

        String id = start(uid);
        List<ObjectNode> events = driver.stack().eventBus().awaitEnd(id, MAX_RUN);

        assertThat(statuses(events)).containsExactly("PENDING", "AWAITING_CONFIRMATION", "REJECTED");
        assertWellFormed(id, events, uid);
    }

    @Test
    void anExpiredAndRenewedFlowShowsBothAttemptsAndTheReminder() throws InterruptedException {
        String uid = driver.newUser("ev-renew", UserPolicy.MANUAL);

        String id = start(uid);
        Flow second = driver.awaitFlow(id, f -> f.attempt() == 2 && f.status() == FlowStatus.AWAITING_CONFIRMATION,
                MAX_RUN);
        driver.sandbox().confirm(second.actionRequestId());
        List<ObjectNode> events = driver.stack().eventBus().awaitEnd(id, MAX_RUN);

        assertThat(statuses(events)).containsExactly("PENDING", "AWAITING_CONFIRMATION", "EXPIRED",
                "AWAITING_CONFIRMATION", "CONFIRMED", "EXECUTING", "SUCCEEDED");
        assertThat(statusChanges(events)).extracting(e -> e.path("detail").path("attempt").asInt())
                .containsExactly(0, 1, 1, 2, 2, 2, 2);
        List<ObjectNode> reminders = events.stream()
                .filter(e -> e.path("detail-type").asText().equals("Flow Reminder Due")).toList();
        assertThat(reminders).as("the first request waited 3 s, the reminder is due after 1 s").isNotEmpty();
        assertThat(reminders.get(0).path("detail").path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(reminders.get(0).path("detail").path("attempt").asInt()).isEqualTo(1);
        assertThat(reminders.get(0).path("detail").path("reminder").asBoolean()).isTrue();
        assertWellFormed(id, events, uid);
    }

    @Test
    void aCancelledFlowEndsWithItsCancellation() throws InterruptedException {
        String uid = driver.newUser("ev-cancel", UserPolicy.MANUAL);

        String id = start(uid);
        driver.awaitFlow(id, FlowStatus.AWAITING_CONFIRMATION, MAX_RUN);
        HttpResponse<String> cancelled = send("DELETE", "/v1/actions/" + id, null);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        List<ObjectNode> events = driver.stack().eventBus().awaitEnd(id, MAX_RUN);

        assertThat(statuses(events)).containsExactly("PENDING", "AWAITING_CONFIRMATION", "CANCELLED");
        assertWellFormed(id, events, uid);
    }

    /** A transfer through the API, as the fintech's backend starts one; its flow id. */
    private static String start(String uid) {
        HttpResponse<String> started = send("POST", "/v1/transfers", "{\"uid\": \"" + uid + "\", \"amount\": 12.30, "
                + "\"bankTransferRecipientId\": \"recipient-" + uid + "\", \"accessToken\": \""
                + driver.sandbox().accessTokenOf(uid) + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        try {
            return Json.MAPPER.readTree(started.body()).path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The envelope of each event, its detail's whitelist, the sequence 1..n without gap or repeat, only the last
     * event ended, and none of the uid's secrets (client secret, access token, short-lived tokens) in any event.
     */
    private static void assertWellFormed(String id, List<ObjectNode> events, String uid) {
        assertThat(events).isNotEmpty().allSatisfy(event -> {
            assertThat(event.path("version").asText()).isEqualTo("0");
            assertThat(event.path("source").asText()).isEqualTo("scaflow");
            assertThat(event.path("detail-type").asText()).isIn("Flow Status Changed", "Flow Reminder Due");
            assertThat(event.path("id").asText()).isNotEmpty();
            assertThat(event.path("account").asText()).isNotEmpty();
            assertThat(event.path("region").asText()).isNotEmpty();
            assertThat(event.path("time").asText()).isNotEmpty();
            assertThat(event.path("resources").isArray()).isTrue();
            assertThat(event.path("detail").fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(DETAIL_FIELDS);
            assertThat(event.path("detail").path("flowId").asText()).isEqualTo(id);
        });
        assertThat(events).extracting(e -> e.path("detail").path("sequence").asInt())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events).extracting(e -> e.path("detail").path("ended").asBoolean())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).mapToObj(i -> i == events.size())
                        .toList());
        String text = events.toString();
        for (String secret : driver.secretsOf(uid)) {
            assertThat(secret).isNotBlank();
            assertThat(text).doesNotContain(secret);
        }
        assertThat(text).doesNotContain(uid).doesNotContain("Ciphertext");
    }

    private static List<ObjectNode> statusChanges(List<ObjectNode> events) {
        return events.stream().filter(e -> e.path("detail-type").asText().equals("Flow Status Changed")).toList();
    }

    private static List<String> statuses(List<ObjectNode> events) {
        return statusChanges(events).stream().map(e -> e.path("detail").path("status").asText()).toList();
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        URI uri = URI.create(driver.stack().apiEndpoint() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(35))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
