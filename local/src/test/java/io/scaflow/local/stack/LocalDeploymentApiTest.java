package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.config.Env;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local stack's API Gateway wiring: the API function gets the Step Functions endpoint and the registered state
 * machine's ARN, and the gateway's routes reach it. (What the API answers is ApiHandler's own tests' business.)
 */
class LocalDeploymentApiTest {

    private static LocalDeployment stack;

    @BeforeAll
    static void start() {
        stack = LocalDeployment.start();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void theApiFunctionKnowsTheStateMachineAndTheLocalStepFunctions() {
        Env env = stack.lambda().environment("ApiFunction");
        assertThat(env.required("STATE_MACHINE_ARN")).isEqualTo(stack.stateMachineArn());
        assertThat(env.required("AWS_ENDPOINT_URL_SFN")).isEqualTo(stack.stepFunctions().endpoint().toString());
        assertThat(env.required("TABLE_NAME")).isEqualTo(stack.resources().tableName());
        assertThat(env.required("MAX_BODY_BYTES")).isEqualTo("16384");
        assertThat(env.required("MAX_AMOUNT")).isEqualTo("100000");
        assertThat(stack.apiGateway().routes()).containsExactlyInAnyOrder(
                "POST /v1/actions -> ApiFunction:live", "POST /v1/transfers -> ApiFunction:live",
                "GET /v1/actions/{id} -> ApiFunction:live", "DELETE /v1/actions/{id} -> ApiFunction:live",
                "POST /v1/actions/{id}/reconciliation -> ApiFunction:live");
    }

    @Test
    void routesReachTheApiFunctionAndOthersDoNot() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long before = stack.lambda().invocations("ApiFunction");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(stack.apiEndpoint() + "/v1/flows"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(stack.lambda().invocations("ApiFunction")).isEqualTo(before);

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(stack.apiEndpoint()
                + "/v1/actions/no-such-flow")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isNotIn(403, 502, 504);
        assertThat(stack.lambda().invocations("ApiFunction")).isEqualTo(before + 1);
    }
}
