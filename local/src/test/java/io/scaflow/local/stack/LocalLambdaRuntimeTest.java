package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runtime behaviour without AWS: a no-arg handler, Context, timeouts, raw (percent-encoded ARN) paths. */
class LocalLambdaRuntimeTest {

    private static final String TEMPLATE = """
            Globals:
              Function:
                Timeout: 1
                Environment:
                  Variables:
                    REGION_SEEN: !Ref AWS::Region
                    GREETING: !Sub "hello ${Who}"
            Parameters:
              Who:
                Type: String
                Default: world
            Resources:
              EchoFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: io.scaflow.local.stack.TestHandlers$Echo::handleRequest
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private LocalLambdaService lambda;

    @BeforeEach
    void start() {
        lambda = LocalLambdaService.builder(SamTemplate.parse(TEMPLATE)).parameters(Map.of("Who", "scaflow")).start();
    }

    @AfterEach
    void stop() {
        lambda.close();
    }

    @Test
    void runsANoArgHandlerWithAContext() throws Exception {
        String arn = URLEncoder.encode(lambda.functionArn("EchoFunction"), StandardCharsets.UTF_8);
        HttpResponse<String> response = post(arn, "{\"a\": 1}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.get("function").asText()).isEqualTo("EchoFunction");
        assertThat(body.get("remainingMs").asInt()).isBetween(1, 1000);
        assertThat(body.get("input").get("a").asInt()).isEqualTo(1);
        assertThat(lambda.environment("EchoFunction").required("GREETING")).isEqualTo("hello scaflow");
        assertThat(lambda.environment("EchoFunction").required("REGION_SEEN")).isEqualTo("eu-west-3");
        assertThat(lambda.invocationCounts()).containsEntry("EchoFunction", 1L);
    }

    @Test
    void aHandlerPastItsTimeoutIsSandboxTimedout() throws Exception {
        HttpResponse<String> response = post("EchoFunction", "{\"sleep\": true}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(body.get("errorMessage").asText()).isEqualTo("Task timed out after 1.00 seconds");
    }

    @Test
    void eventAndDryRunInvocations() throws Exception {
        assertThat(post("EchoFunction", "{}", "DryRun").statusCode()).isEqualTo(204);
        assertThat(post("EchoFunction", "{}", "Event").statusCode()).isEqualTo(202);
        assertThat(lambda.invocations("EchoFunction")).isEqualTo(1);
        assertThat(post("nope", "{}", null).headers().firstValue("x-amzn-ErrorType"))
                .contains("ResourceNotFoundException");
    }

    private HttpResponse<String> post(String name, String body) throws Exception {
        return post(name, body, null);
    }

    private HttpResponse<String> post(String name, String body, String invocationType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(lambda.endpoint()
                        .resolve(LocalLambdaService.PATH_PREFIX + name + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (invocationType != null) {
            request.header("X-Amz-Invocation-Type", invocationType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
