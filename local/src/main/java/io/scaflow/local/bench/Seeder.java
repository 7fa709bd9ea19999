package io.scaflow.local.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.config.Env;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.json.Json;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import io.scaflow.core.Secret;
import java.util.UUID;

/**
 * Puts flows in the status a handler expects, with the real handlers (in this JVM, untimed): the events of
 * {@code events/} with a fresh flow id each time, for the user {@code USER_ID} they name, whose access token is
 * stored under their {@code accessTokenSecretId}.
 */
final class Seeder {

    static final String UID = "USER_ID";

    private final BenchStack stack;
    private final Path events;
    private final RequestStreamHandler create;
    private final RequestStreamHandler poll;

    Seeder(BenchStack stack) {
        this.stack = stack;
        this.events = stack.root.resolve("events");
        stack.sandbox.registerUser(UID, null);
        String secretId = stack.resources.putUserAccessToken(UID, stack.sandbox.accessTokenOf(UID));
        if (!secretId.equals(event("create-action-request.json", "x").path("input").path("accessTokenSecretId")
                .asText())) {
            throw new IllegalStateException("events/create-action-request.json names another secret than " + secretId);
        }
        FlowServices services = FlowServices.create(new Env(stack.directEnv("CreateActionRequestFunction")),
                Clock.systemUTC());
        create = new CreateActionRequestHandler(services);
        poll = new PollActionRequestHandler(services);
    }

    static String newFlowId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** An event file of {@code events/} with its flowId replaced. */
    ObjectNode event(String file, String flowId) {
        try {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(Files.readString(events.resolve(file)));
            node.put("flowId", flowId);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code events/api-get-action.json} for the flow {@code flowId}. */
    ObjectNode apiGet(String flowId) {
        ObjectNode node = event("api-get-action.json", flowId);
        node.remove("flowId");
        node.put("path", "/v1/actions/" + flowId);
        node.with("pathParameters").put("id", flowId);
        return node;
    }

    /** A flow AWAITING_CONFIRMATION (the user does not answer by himself). */
    String awaitingFlow() {
        String flowId = newFlowId("seed");
        invoke(create, event("create-action-request.json", flowId));
        expect(flowId, FlowStatus.AWAITING_CONFIRMATION);
        return flowId;
    }

    /**
     * A flow PENDING as the API records it (by the caller of {@code events/api-get-action.json}, with its access
     * token), before its execution's first step: what CreateActionRequest meets for every flow started by the API.
     */
    String pendingApiFlow() {
        String flowId = newFlowId("seed-api");
        JsonNode get = event("api-get-action.json", flowId);
        String caller = get.path("requestContext").path("identity").path("userArn").asText();
        JsonNode input = event("create-action-request.json", flowId).path("input");
        stack.store.create(Flow.pending(flowId, input.path("action").asText(), UID, input.path("payload"),
                Secret.of(stack.sandbox.accessTokenOf(UID)), Instant.now()).withRequest(caller, null, null));
        return flowId;
    }

    /**
     * A flow AWAITING_CONFIRMATION started through the API by the caller of {@code events/api-get-action.json}, so
     * that its GET finds it (the API does not show console flows).
     */
    String apiFlow() {
        String flowId = pendingApiFlow();
        invoke(create, Json.MAPPER.createObjectNode().put("flowId", flowId));
        expect(flowId, FlowStatus.AWAITING_CONFIRMATION);
        return flowId;
    }

    /** A flow CONFIRMED, its short-lived token stored: confirmed at the sandbox, then polled. */
    String confirmedFlow() {
        String flowId = awaitingFlow();
        confirm(flowId);
        invoke(poll, event("poll-action-request.json", flowId));
        expect(flowId, FlowStatus.CONFIRMED);
        return flowId;
    }

    void confirm(String flowId) {
        stack.sandbox.confirm(stack.store.get(flowId).actionRequestId());
    }

    void expect(String flowId, FlowStatus status) {
        Flow flow = stack.store.get(flowId);
        if (flow.status() != status) {
            throw new IllegalStateException("flow " + flowId + " is " + flow.status() + ", expected " + status);
        }
    }

    static String invoke(RequestStreamHandler handler, JsonNode event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
