package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.flow.RecordFailureHandler;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The step handlers of one {@link FlowHarness} called as the state machine calls them, with every output kept
 * (and checked to hold ids, statuses and numbers only) so that a test can look for secrets in all of them.
 */
final class FlowSteps {

    final FlowHarness harness;
    final String uid;
    final List<String> outputs = new CopyOnWriteArrayList<>();

    FlowSteps(FlowHarness harness, String uid) {
        this.harness = harness;
        this.uid = uid;
    }

    /** A PENDING flow of a transfer of {@code amount} with {@code accessToken}, recorded as the API records it. */
    String recordFlow(String amount, String accessToken) {
        String flowId = UUID.randomUUID().toString();
        harness.services.store().create(Flow.pending(flowId, "bank:transfers:create", uid, transfer(amount),
                Secret.of(accessToken), harness.clock.instant()));
        return flowId;
    }

    /** As above, with the uid's own access token at the sandbox. */
    String recordFlow(String amount) {
        return recordFlow(amount, harness.sandbox.accessTokenOf(uid));
    }

    /** A flow whose action request the user confirmed and whose poll saw it: CONFIRMED, with a short-lived token. */
    String confirmedFlow(String amount) {
        String flowId = recordFlow(amount);
        create(flowId);
        confirmAtShine(flowId);
        assertThat(poll(flowId, 0).get("status").asText()).isEqualTo("CONFIRMED");
        return flowId;
    }

    /** A console execution's input for this uid naming {@code secretId}. */
    ObjectNode consoleEvent(String flowId, String secretId) {
        ObjectNode event = FlowHarness.event("create-action-request.json", flowId);
        ((ObjectNode) event.get("input")).put("uid", uid).put("accessTokenSecretId", secretId);
        ((ObjectNode) event.get("input").get("payload")).put("uid", uid);
        return event;
    }

    /** Stores {@code {"accessToken": token}} as Secrets Manager secret {@code name}; returns the name. */
    String putSecret(String name, String token) {
        try (var secretsManager = LocalAws.secretsManager(FlowHarness.moto().endpoint())) {
            String json = Json.MAPPER.createObjectNode().put("accessToken", token).toString();
            secretsManager.createSecret(b -> b.name(name).secretString(json));
        }
        return name;
    }

    /** The user confirms the flow's current action request at the sandbox. */
    void confirmAtShine(String flowId) {
        harness.sandbox.confirm(flow(flowId).actionRequestId());
    }

    Flow flow(String flowId) {
        return harness.services.store().get(flowId);
    }

    JsonNode create(String flowId) {
        return invokeCreate(FlowHarness.event("create-action-request.json", flowId));
    }

    JsonNode invokeCreate(JsonNode event) {
        return kept(harness.invoke(CreateActionRequestHandler::new, event));
    }

    JsonNode poll(String flowId, int pollCount) {
        return kept(harness.invoke(PollActionRequestHandler::new,
                FlowHarness.event("poll-action-request.json", flowId).put("pollCount", pollCount)));
    }

    JsonNode execute(String flowId) {
        return kept(harness.invoke(ExecuteActionHandler::new, FlowHarness.event("execute-action.json", flowId)));
    }

    JsonNode execute(String flowId, Context context) {
        return kept(harness.invoke(ExecuteActionHandler::new, FlowHarness.event("execute-action.json", flowId),
                context));
    }

    /** RecordFailure as the state machine's Catch calls it, with the failed step's error name and cause. */
    JsonNode recordFailure(String flowId, String error, String cause) {
        ObjectNode event = FlowHarness.event("record-failure.json", flowId);
        event.putObject("error").put("Error", error).put("Cause", cause);
        return kept(harness.invoke(RecordFailureHandler::new, event));
    }

    long calls(Endpoint endpoint) {
        return harness.sandbox.calls().stream().filter(c -> c.endpoint() == endpoint).count();
    }

    private JsonNode kept(JsonNode output) {
        outputs.add(output.toString());
        assertThat(output.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("flowId", "status", "attempt", "waitSeconds", "pollCount", "renew",
                        "pollAgain");
        return output;
    }

    private JsonNode transfer(String amount) {
        return Json.MAPPER.createObjectNode().put("amount", new BigDecimal(amount))
                .put("bankTransferRecipientId", "recipient-7").put("uid", uid);
    }
}
