package io.scaflow.local.stack;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.core.Secret;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.flow.RecordFailureHandler;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.sandbox.ShineSandbox;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Puts the local stack in the state an {@code events/} file assumes before a function is invoked with it (what
 * {@code make invoke} does): the user it names (with a sandbox token stored under its {@code accessTokenSecretId}),
 * and its flow (the event's {@code flowId}, path id or execution name) recreated in the status the function
 * expects: none for CreateActionRequest and the API's POSTs, AWAITING_CONFIRMATION for PollActionRequest,
 * RecordFailure and ExecutionEnded, CONFIRMED for ExecuteAction, an API caller's flow for the API's GET and DELETE,
 * an OUTCOME_UNKNOWN flow (caught while EXECUTING, nothing sent to Shine) for the API's reconciliation.
 * The seeding runs the real handlers in this JVM, on the same moto and sandbox.
 */
public final class EventSeeds {

    /** The user the events name. */
    static final String UID = "USER_ID";

    private final LocalDeployment stack;
    private final ShineSandbox sandbox;
    private final RequestStreamHandler create;
    private final RequestStreamHandler poll;
    private final RequestStreamHandler recordFailure;

    /** Registers the events' user in the embedded sandbox and stores its access token. */
    public EventSeeds(LocalDeployment stack) {
        this.stack = stack;
        this.sandbox = stack.sandbox().orElseThrow(() -> new IllegalStateException(
                "seeding needs the embedded Shine sandbox (SHINE_API_BASE_URL is set)"));
        sandbox.registerUser(UID, null);
        stack.resources().putUserAccessToken(UID, sandbox.accessTokenOf(UID));
        FlowServices services = FlowServices.create(stack.lambda().harnessEnvironment("CreateActionRequestFunction"),
                Clock.systemUTC());
        create = new CreateActionRequestHandler(services);
        poll = new PollActionRequestHandler(services);
        recordFailure = new RecordFailureHandler(services);
    }

    /** Prepares the state {@code event} assumes for {@code function}; returns what was seeded, for the log. */
    public String prepare(String function, JsonNode event) {
        String flowId = flowId(event);
        if (flowId == null) {
            return "nothing to seed (no flow id in the event)";
        }
        deleteFlow(flowId);
        return switch (function) {
            case "PollActionRequestFunction", "RecordFailureFunction", "ExecutionEndedFunction" -> {
                awaiting(flowId);
                yield "flow " + flowId + " AWAITING_CONFIRMATION";
            }
            case "ExecuteActionFunction" -> {
                confirmed(flowId);
                yield "flow " + flowId + " CONFIRMED";
            }
            case "ApiFunction" -> {
                if (event.path("resource").asText().endsWith("/reconciliation")) {
                    outcomeUnknown(flowId);
                    yield "flow " + flowId + " OUTCOME_UNKNOWN (caught while EXECUTING; nothing sent to Shine)";
                }
                if ("POST".equals(event.path("httpMethod").asText())) {
                    yield "nothing to seed (a new flow)";
                }
                apiFlow(flowId, event.path("requestContext").path("identity").path("userArn").asText());
                yield "flow " + flowId + " AWAITING_CONFIRMATION, started by the event's caller";
            }
            default -> "flow " + flowId + " absent (the function creates it)";
        };
    }

    /** The flow an event is about: {@code flowId}, the API's {@code {id}}, or the execution's name. */
    static String flowId(JsonNode event) {
        for (JsonNode candidate : new JsonNode[] {event.path("flowId"), event.path("pathParameters").path("id"),
            event.path("detail").path("name")}) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                return candidate.asText();
            }
        }
        return null;
    }

    private void awaiting(String flowId) {
        ObjectNode input = Json.MAPPER.createObjectNode();
        input.put("action", "bank:transfers:create").put("uid", UID)
                .put("accessTokenSecretId", stack.resources().putUserAccessToken(UID, sandbox.accessTokenOf(UID)));
        input.putObject("payload").put("amount", 234).put("bankTransferRecipientId", "BANK_TRANSFER_RECIPIENT_ID")
                .put("uid", UID);
        ObjectNode event = Json.MAPPER.createObjectNode().put("flowId", flowId);
        event.set("input", input);
        invoke(create, event);
        expect(flowId, FlowStatus.AWAITING_CONFIRMATION);
    }

    private void confirmed(String flowId) {
        awaiting(flowId);
        sandbox.confirm(stack.store().get(flowId).actionRequestId());
        invoke(poll, Json.MAPPER.createObjectNode().put("flowId", flowId).put("pollCount", 0));
        expect(flowId, FlowStatus.CONFIRMED);
    }

    /**
     * A flow whose transfer may have reached Shine: EXECUTING (the move ExecuteAction makes before it calls), then
     * caught there by the state machine (ExecuteAction's timeout), which RecordFailure ends OUTCOME_UNKNOWN. The
     * seeding itself sends no transfer.
     */
    private void outcomeUnknown(String flowId) {
        confirmed(flowId);
        stack.store().change(flowId, FlowStatus.CONFIRMED, FlowChange.to(FlowStatus.EXECUTING,
                "seeded: sending the action to Shine").forgetShortLivedToken());
        ObjectNode event = Json.MAPPER.createObjectNode().put("flowId", flowId);
        event.putObject("error").put("Error", "States.Timeout").put("Cause", "");
        invoke(recordFailure, event);
        expect(flowId, FlowStatus.OUTCOME_UNKNOWN);
    }

    private void apiFlow(String flowId, String caller) {
        JsonNode payload = Json.MAPPER.createObjectNode().put("amount", 234)
                .put("bankTransferRecipientId", "BANK_TRANSFER_RECIPIENT_ID").put("uid", UID);
        stack.store().create(Flow.pending(flowId, "bank:transfers:create", UID, payload,
                Secret.of(sandbox.accessTokenOf(UID)), Instant.now()).withRequest(caller, null, null));
        invoke(create, Json.MAPPER.createObjectNode().put("flowId", flowId));
        expect(flowId, FlowStatus.AWAITING_CONFIRMATION);
    }

    private void deleteFlow(String flowId) {
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(stack.moto().endpoint())) {
            dynamo.deleteItem(b -> b.tableName(stack.resources().tableName())
                    .key(Map.of("flowId", AttributeValue.fromS(flowId))));
        }
    }

    private void expect(String flowId, FlowStatus status) {
        FlowStatus actual = stack.store().get(flowId).status();
        if (actual != status) {
            throw new IllegalStateException("seeding: flow " + flowId + " is " + actual + ", expected " + status);
        }
    }

    private static void invoke(RequestStreamHandler handler, JsonNode event) {
        try {
            handler.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)),
                    new ByteArrayOutputStream(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
