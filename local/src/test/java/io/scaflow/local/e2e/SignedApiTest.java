package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.stack.LocalApiGateway;
import io.scaflow.local.stack.LocalCredentials;
import io.scaflow.local.stack.LocalDeployment;
import io.scaflow.local.stack.SignedRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole local stack with SigV4 checking on ({@code make run SIGV4=1}), under the stage prefix as on API
 * Gateway: an unsigned {@code POST /live/v1/transfers} is refused (403) before any function runs, a signed one
 * starts a flow (202) owned by the signer, and the 202's {@code Location}, followed with a signed GET, answers 200.
 */
class SignedApiTest {

    private static LocalDeployment stack;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        stack = LocalDeployment.start(Map.of(), Optional.empty(), SandboxConfig.defaults().withPort(0), 0,
                null, Optional.of(LocalCredentials.defaults()));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anUnsignedTransferIs403AndASignedOne202WhoseLocationAnswers200() throws Exception {
        String uid = "signed-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"uid\": \"" + uid + "\", \"amount\": 12.5, \"bankTransferRecipientId\": \"r-1\", "
                + "\"accessToken\": \"" + SandboxConfig.ACCESS_TOKEN_PREFIX + uid + "\"}";
        URI transfers = URI.create(stack.apiEndpoint() + "/v1/transfers");
        assertThat(transfers.getPath()).isEqualTo("/live/v1/transfers");
        long before = stack.lambda().invocations("ApiFunction");

        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(transfers)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        assertThat(stack.lambda().invocations("ApiFunction")).isEqualTo(before);

        HttpResponse<String> signed = http.send(SignedRequests.sign("POST", transfers, body,
                SignedRequests.Signing.local()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
        String id = Json.MAPPER.readTree(signed.body()).path("id").asText();
        String location = signed.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo("/live/v1/actions/" + id);
        assertThat(stack.store().get(id).owner()).isEqualTo(LocalApiGateway.CALLER_ARN);

        URI followed = stack.apiEndpoint().resolve(location);
        HttpResponse<String> read = http.send(SignedRequests.sign("GET", followed, null,
                SignedRequests.Signing.local()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode flow = Json.MAPPER.readTree(read.body());
        assertThat(flow.path("id").asText()).isEqualTo(id);
        assertThat(http.send(HttpRequest.newBuilder(followed).GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("the same GET unsigned").isEqualTo(403);
    }
}
