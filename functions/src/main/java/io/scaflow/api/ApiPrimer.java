package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.aws.AwsClients;
import io.scaflow.config.Env;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.PrimingServices;
import io.scaflow.json.Json;
import io.scaflow.prime.Primer;
import io.scaflow.prime.Priming;
import io.scaflow.prime.TlsPriming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * SnapStart priming of the API: a copy of {@link ApiHandler} on {@link io.scaflow.flow.PrimingServices} starts a
 * flow ({@code POST /v1/actions} with an Idempotency-Key, so no random id is drawn before the snapshot), reads it
 * ({@code GET}) and cancels it ({@code DELETE}): the proxy event and problem code, the store and the usage counters,
 * KMS Encrypt and the Step Functions client's marshalling run in memory. The function's Step Functions client is
 * built (no I/O). After a restore the AWS credentials are dropped, to be resolved again on first use.
 */
public final class ApiPrimer implements Primer {

    private static final String CALLER = "arn:aws:iam::000000000000:role/scaflow-priming";

    private final FlowServices live;
    private final Env env;
    private volatile PrimingServices lastRun;
    private volatile String lastFlowId;
    private volatile int lastCancelStatus;

    public ApiPrimer(FlowServices live, Env env) {
        this.live = live;
        this.env = env;
    }

    /**
     * Registers the primer of the handler the Lambda runtime builds on {@code services} (its no-argument
     * constructor), so that the snapshot is primed and, after a restore, those very services are refreshed.
     */
    static FlowServices registered(FlowServices services) {
        Priming.register(new ApiPrimer(services, Env.system()));
        return services;
    }

    @Override
    public void prime() throws Exception {
        try (PrimingServices priming = PrimingServices.like(live, env, true)) {
            lastRun = priming;
            ApiHandler handler = new ApiHandler(priming.services());
            JsonNode started = Json.MAPPER.readTree(invoke(handler, event("POST", "/v1/actions", "/v1/actions", null,
                    "{\"action\": \"bank:transfers:create\", \"uid\": \"priming-user\", \"payload\": {\"amount\": "
                            + "1.00, \"bankTransferRecipientId\": \"priming-recipient\", \"uid\": \"priming-user\"}, "
                            + "\"accessToken\": \"priming-access-token\"}")).path("body").asText("{}"));
            String flowId = started.path("id").asText("priming-flow");
            lastFlowId = flowId;
            invoke(handler, event("GET", "/v1/actions/{id}", "/v1/actions/" + flowId, flowId, null));
            lastCancelStatus = invoke(handler, event("DELETE", "/v1/actions/{id}", "/v1/actions/" + flowId, flowId,
                    null)).path("statusCode").asInt();
        }
        live.executions();   // the client only: nothing is started
        TlsPriming.prime();
    }

    @Override
    public void refresh() {
        live.afterRestore();
        AwsClients.refreshCredentials();
    }

    /** The in-memory services of the last priming (tests: what it called). */
    public PrimingServices lastRun() {
        return lastRun;
    }

    /** The HTTP status the last priming's cancel was answered (tests). */
    public int lastCancelStatus() {
        return lastCancelStatus;
    }

    /** The flow the last priming started (tests). */
    public String lastFlowId() {
        return lastFlowId;
    }

    private static JsonNode invoke(ApiHandler handler, ObjectNode event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    private static ObjectNode event(String method, String resource, String path, String id, String body) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("resource", resource).put("path", path)
                .put("httpMethod", method).put("isBase64Encoded", false);
        ObjectNode headers = event.putObject("headers").put("Host", "priming.invalid");
        if (body != null) {
            headers.put("Content-Type", "application/json").put("Idempotency-Key", "priming-key-1");
            event.put("body", body);
        } else {
            event.putNull("body");
        }
        ObjectNode multi = event.putObject("multiValueHeaders");
        headers.fields().forEachRemaining(h -> multi.putArray(h.getKey()).add(h.getValue()));
        if (id != null) {
            event.putObject("pathParameters").put("id", id);
        } else {
            event.putNull("pathParameters");
        }
        event.putObject("requestContext").put("resourcePath", resource).put("httpMethod", method)
                .put("stage", "live").put("requestId", "priming").putObject("identity").put("userArn", CALLER);
        return event;
    }
}
