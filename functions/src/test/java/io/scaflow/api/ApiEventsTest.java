package io.scaflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.testing.LambdaEvents;
import io.scaflow.testing.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The sample API Gateway events of events/, loaded as the Lambda Java model of a REST proxy event and handed to
 * the API as the runtime would: how each maps to a request (route, caller, headers, body) and what it does.
 */
@EnabledIf(Repository.PRESENT)
class ApiEventsTest {

    private static final String FINTECH = "arn:aws:iam::123456789012:user/fintech-backend";

    private final ApiKit api = new ApiKit();

    @ParameterizedTest
    @Event(value = "../events/api-post-transfer.json", type = APIGatewayProxyRequestEvent.class)
    void aTransferMapsToItsRouteCallerKeyAndBodyAndStartsAFlow(APIGatewayProxyRequestEvent event) {
        ApiRequest request = ApiRequest.from(json(event));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.resource()).isEqualTo("/v1/transfers");
        assertThat(request.path()).isEqualTo("/v1/transfers");
        assertThat(request.caller()).isEqualTo(FINTECH);
        assertThat(request.header("idempotency-key")).contains("order-2026-0001");
        assertThat(request.body()).contains("\"amount\": 234.5");

        ApiKit.Answer answer = api.send(LambdaEvents.bytes(event));

        assertThat(answer.status()).isEqualTo(202);
        Flow flow = api.flows.get(answer.body().path("id").asText());
        assertThat(flow.owner()).isEqualTo(FINTECH);
        assertThat(flow.idempotencyKey()).isEqualTo("order-2026-0001");
        assertThat(flow.payload().path("bankTransferRecipientId").asText()).isEqualTo("BANK_TRANSFER_RECIPIENT_ID");
    }

    @ParameterizedTest
    @Event(value = "../events/api-post-action.json", type = APIGatewayProxyRequestEvent.class)
    void anActionWithoutAKeyStartsAFlow(APIGatewayProxyRequestEvent event) {
        ApiKit.Answer answer = api.send(LambdaEvents.bytes(event));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(api.flows.get(answer.body().path("id").asText()).idempotencyKey()).isNull();
        assertThat(api.sfn.started()).hasSize(1);
    }

    @ParameterizedTest
    @Event(value = "../events/api-get-action.json", type = APIGatewayProxyRequestEvent.class)
    void aGetMapsItsPathParameterAndShowsTheCallersFlow(APIGatewayProxyRequestEvent event) {
        flowOf(FINTECH, "flow-0001");

        ApiRequest request = ApiRequest.from(json(event));
        assertThat(request.pathParameter("id")).contains("flow-0001");
        assertThat(request.caller()).isEqualTo(FINTECH);
        ApiKit.Answer answer = api.send(LambdaEvents.bytes(event));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("PENDING");
    }

    @ParameterizedTest
    @Event(value = "../events/api-cancel-action.json", type = APIGatewayProxyRequestEvent.class)
    void aDeleteCancelsTheCallersFlow(APIGatewayProxyRequestEvent event) {
        flowOf(FINTECH, "flow-0001");
        assertThat(ApiRequest.from(json(event)).caller()).isEqualTo(FINTECH);

        ApiKit.Answer answer = api.send(LambdaEvents.bytes(event));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(api.flows.get("flow-0001").status()).isEqualTo(FlowStatus.CANCELLED);
    }

    /** A PENDING flow started through the API by {@code owner}. */
    private void flowOf(String owner, String flowId) {
        api.flows.direct().create(Flow.pending(flowId, "bank:transfers:create", "USER_ID",
                Json.MAPPER.createObjectNode().put("amount", 1).put("bankTransferRecipientId", "r-1").put("uid", "USER_ID"),
                Secret.of("token"), api.clock.instant()).withRequest(owner, null, null));
    }

    private static JsonNode json(APIGatewayProxyRequestEvent event) {
        try {
            return Json.MAPPER.readTree(LambdaEvents.bytes(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
