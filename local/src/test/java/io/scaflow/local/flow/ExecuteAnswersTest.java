package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The execute step against the sandbox: any 2xx is a success (the log shows the result's id, never the result), a
 * CONFIRMED poll without its token waits for the next one, and a 429 is made once more only when the function's
 * remaining time holds the wait, a whole execute call and the final write.
 */
class ExecuteAnswersTest {

    private static final String UID = "user-77";
    private static final String RECIPIENT = "RECIPIENT-PERSONAL-1";

    private FlowHarness harness;

    @BeforeEach
    void start() {
        harness = new FlowHarness(Map.of());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aNoContentAnswerSucceedsAndTheLogShowsNoPersonalData() {
        String flowId = confirmedFlow();
        harness.sandbox.injectFault(Fault.successAnswer(1, 204, Fault.Body.NONE));

        assertThat(execute(flowId, null).get("status").asText()).isEqualTo("SUCCEEDED");
        Flow flow = flow(flowId);
        assertThat(flow.result()).isNull();
        assertThat(flow.history().get(flow.history().size() - 1).reason()).isEqualTo("Shine answered HTTP 204 with no body");
        assertThat(harness.sandbox.transfers()).hasSize(1);
    }

    @Test
    void aPlainObjectAnswerIsKeptAndOnlyItsIdIsLogged() {
        String flowId = confirmedFlow();
        harness.sandbox.injectFault(Fault.successAnswer(1, 200, Fault.Body.OBJECT));

        assertThat(execute(flowId, null).get("status").asText()).isEqualTo("SUCCEEDED");
        String transferId = harness.sandbox.transfers().get(0).bankTransferId();
        assertThat(flow(flowId).result().get("bankTransferId").asText()).isEqualTo(transferId);
        String done = harness.logs().lines().filter(l -> l.contains("\"action done\"")).findFirst().orElseThrow();
        assertThat(done).contains(transferId).contains("OBJECT").doesNotContain(RECIPIENT).doesNotContain("12.34");
    }

    @Test
    void aConfirmedPollWithoutItsTokenStaysAwaitingAndTheNextPollConfirms() {
        String flowId = createdFlow();
        harness.sandbox.confirm(flow(flowId).actionRequestId());
        harness.sandbox.injectFault(Fault.of(Endpoint.POLL, Fault.Kind.TOKEN_NULL, 1));

        JsonNode first = poll(flowId, 0);
        assertThat(first.get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(first.get("waitSeconds").asInt()).isEqualTo(2);
        assertThat(flow(flowId).shortLivedToken()).isEmpty();
        assertThat(poll(flowId, 1).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(harness.logs()).doesNotContain("poll failed");
    }

    @Test
    void aRateLimitedActionIsSentOnceMoreWhenTheFunctionHasTheTime() {
        String flowId = confirmedFlow();
        harness.sandbox.injectFault(Fault.retryAfter(Endpoint.TRANSFER, Fault.Kind.RATE_LIMIT_HTTP_DATE, 1, 1));

        assertThat(execute(flowId, context(30_000)).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(transferCalls()).isEqualTo(2);
        assertThat(harness.sandbox.transfers()).hasSize(1);
    }

    @Test
    void aRateLimitedActionIsNotSentAgainWhenTheFunctionWouldRunOutOfTime() {
        String flowId = confirmedFlow();
        // 1 s wait + 1 s execute timeout (the harness's) + 3 s for the final write: 5 s, more than the 4 s left
        harness.sandbox.injectFault(Fault.retryAfter(Endpoint.TRANSFER, Fault.Kind.RATE_LIMIT, 1, 1));

        assertThat(execute(flowId, context(4_000)).get("status").asText()).isEqualTo("FAILED");
        assertThat(flow(flowId).error().code()).isEqualTo("shine-rate-limited");
        assertThat(transferCalls()).isEqualTo(1);
        assertThat(harness.sandbox.transfers()).isEmpty();
    }

    private long transferCalls() {
        return harness.sandbox.calls().stream().filter(c -> c.endpoint() == Endpoint.TRANSFER).count();
    }

    private String createdFlow() {
        String flowId = UUID.randomUUID().toString();
        JsonNode payload = Json.MAPPER.createObjectNode().put("amount", new BigDecimal("12.34"))
                .put("bankTransferRecipientId", RECIPIENT).put("uid", UID);
        harness.services.store().create(Flow.pending(flowId, "bank:transfers:create", UID, payload,
                Secret.of(harness.sandbox.accessTokenOf(UID)), harness.clock.instant()));
        harness.invoke(CreateActionRequestHandler::new, FlowHarness.event("create-action-request.json", flowId));
        return flowId;
    }

    private String confirmedFlow() {
        String flowId = createdFlow();
        harness.sandbox.confirm(flow(flowId).actionRequestId());
        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(flow(flowId).status()).isEqualTo(FlowStatus.CONFIRMED);
        return flowId;
    }

    private JsonNode poll(String flowId, int pollCount) {
        return harness.invoke(PollActionRequestHandler::new,
                FlowHarness.event("poll-action-request.json", flowId).put("pollCount", pollCount));
    }

    private Flow flow(String flowId) {
        return harness.services.store().get(flowId);
    }

    /** Runs the execute step as the Lambda runtime would, with {@code context} (null: none). */
    private JsonNode execute(String flowId, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ExecuteActionHandler(harness.services).handleRequest(new ByteArrayInputStream(
                    Json.MAPPER.writeValueAsBytes(FlowHarness.event("execute-action.json", flowId))), out, context);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Lambda context with {@code remainingMs} left (its other methods answer null, 0 or false). */
    private static Context context(int remainingMs) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> remainingMs;
                    case "getMemoryLimitInMB" -> 1024;
                    case "toString" -> "context(" + remainingMs + " ms left)";
                    case "hashCode" -> 0;
                    case "equals" -> false;
                    default -> null;
                });
    }
}
