package io.scaflow.flow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.aws.FakeSecretsManager;
import io.scaflow.aws.SecretReader;
import io.scaflow.config.Env;
import io.scaflow.json.Json;
import io.scaflow.core.ActionRegistry;
import io.scaflow.shine.ActionRequest;
import io.scaflow.shine.FakeShine;
import io.scaflow.core.Secret;
import io.scaflow.shine.ShineConfig;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.InMemoryFlows;
import io.scaflow.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The flow steps with everything they call held in memory: the flows ({@link InMemoryFlows}), Shine
 * ({@link FakeShine}), Secrets Manager ({@link FakeSecretsManager}) and a clock that moves only when the test moves
 * it. Flows are set up through the store's own writes, as the steps would leave them. No server, no network.
 */
final class FlowKit {

    static final Instant T0 = Instant.parse("2026-11-28T13:00:00Z");
    static final String UID = "USER_ID";
    static final String ACTION = ActionRegistry.BANK_TRANSFER;

    final MutableClock clock = new MutableClock(T0);
    final InMemoryFlows flows = new InMemoryFlows(clock);
    final FakeShine shine = new FakeShine(clock);
    final FakeSecretsManager secrets = new FakeSecretsManager();
    final FlowSettings settings;
    final FlowServices services;

    FlowKit() {
        this(Map.of());
    }

    /** With these environment variables (POLL_INTERVAL_SECONDS, MAX_ATTEMPTS, ...; the defaults otherwise). */
    FlowKit(Map<String, String> environment) {
        Env env = new Env(environment);
        settings = FlowSettings.fromEnv(env);
        services = new FlowServices(settings, ShineConfig.actionsFromEnv(env), flows, () -> new SecretReader(secrets),
                () -> shine, () -> {
                    throw new AssertionError("the flow steps start no execution");
                }, clock);
    }

    static ObjectNode payload() {
        return Json.MAPPER.createObjectNode().put("amount", 234.5).put("bankTransferRecipientId", "r-1").put("uid", UID);
    }

    /** A flow as the API records it: PENDING, with the user's access token. */
    Flow pending(String flowId) {
        flows.direct().create(Flow.pending(flowId, ACTION, UID, payload(), Secret.of("access-" + flowId), clock.instant()));
        return get(flowId);
    }

    /** A flow whose action request (created at the fake Shine) is out. */
    Flow awaiting(String flowId) {
        pending(flowId);
        return open(flowId);
    }

    /** Opens the flow's next attempt (from PENDING or EXPIRED) with a new action request. */
    Flow open(String flowId) {
        Flow flow = get(flowId);
        ActionRequest request = shine.createActionRequest(ACTION, UID, flow.payload());
        int attempt = flow.attempt() + 1;
        return flows.direct().change(flowId, flow.status(), FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "opened")
                .actionRequest(request.id(), attempt, clock.instant(), request.expiresAt()));
    }

    /** A flow whose action request the user confirmed: its short-lived token is stored. */
    Flow confirmed(String flowId) {
        Flow flow = awaiting(flowId);
        ActionRequest confirmed = shine.confirm(flow.actionRequestId());
        return flows.direct().change(flowId, FlowStatus.AWAITING_CONFIRMATION, FlowChange.to(FlowStatus.CONFIRMED, "confirmed")
                .confirmed(confirmed.id(), clock.instant(), confirmed.token().orElseThrow()));
    }

    /** Moves the flow as another writer would (a cancel, a stopped execution). */
    Flow move(String flowId, FlowStatus to) {
        return flows.direct().change(flowId, get(flowId).status(), FlowChange.to(to, "moved by the test"));
    }

    Flow get(String flowId) {
        return flows.get(flowId);
    }

    /** Runs {@code handler} on the event as the Lambda runtime would (bytes in, bytes out); the output as JSON. */
    static JsonNode run(RequestStreamHandler handler, byte[] event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode run(RequestStreamHandler handler, String event) {
        return run(handler, event.getBytes(StandardCharsets.UTF_8), null);
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The step's event as the state machine builds it: {@code {"flowId": ...}} and the given fields. */
    static String event(String flowId, String... fields) {
        StringBuilder event = new StringBuilder("{\"flowId\": \"" + flowId + "\"");
        for (int i = 0; i < fields.length; i += 2) {
            event.append(", \"").append(fields[i]).append("\": ").append(fields[i + 1]);
        }
        return event.append('}').toString();
    }
}
