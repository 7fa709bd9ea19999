package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.RepoRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The local API Gateway and Lambda service past their limits: more concurrent calls than any thread pool of theirs
 * ever held all answer; past the Lambda concurrency limit the caller gets the API's INTEGRATION_FAILURE gateway
 * response; a function slower than the integration timeout gives INTEGRATION_TIMEOUT. Never a hang.
 */
class GatewayUnderLoadTest {

    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: live
                  DefinitionBody:
                    openapi: 3.0.1
                    x-amazon-apigateway-gateway-responses:
                      INTEGRATION_FAILURE:
                        statusCode: "503"
                        responseParameters:
                          gatewayresponse.header.Retry-After: "'1'"
                        responseTemplates:
                          application/problem+json: '{"status": 503, "request": "$context.requestId", "type": "$context.error.responseType"}'
                      INTEGRATION_TIMEOUT:
                        statusCode: "504"
                        responseTemplates:
                          application/json: '{"status": 504, "message": $context.error.messageString}'
              ProxyFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Timeout: 10
                  Handler: io.scaflow.local.stack.ProxyTestHandler::handleRequest
                  Events:
                    Get:
                      Type: Api
                      Properties:
                        RestApiId: !Ref Api
                        Path: /things/{id}
                        Method: GET
            """;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void sixtyConcurrentSlowCallsAllAnswer() throws Exception {
        SamTemplate template = SamTemplate.parse(TEMPLATE);
        try (LocalLambdaService lambda = LocalLambdaService.builder(template).start();
             LocalApiGateway api = LocalApiGateway.start(template, lambda.endpoint(), 0)) {
            List<HttpResponse<String>> answers = concurrently(60, api.endpoint(), 300);

            assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
        }
    }

    @Test
    void pastTheLambdaConcurrencyLimitTheCallerGetsTheIntegrationFailureResponse() throws Exception {
        SamTemplate template = SamTemplate.parse(TEMPLATE);
        try (LocalLambdaService lambda = LocalLambdaService.builder(template).concurrency(2).start();
             LocalApiGateway api = LocalApiGateway.start(template, lambda.endpoint(), 0)) {
            List<HttpResponse<String>> answers = concurrently(6, api.endpoint(), 1500);

            List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() != 200).toList();
            assertThat(answers).filteredOn(a -> a.statusCode() == 200).hasSizeLessThanOrEqualTo(2).isNotEmpty();
            assertThat(refused).isNotEmpty().allSatisfy(a -> {
                assertThat(a.statusCode()).isEqualTo(503);
                assertThat(a.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(a.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                JsonNode body = Json.MAPPER.readTree(a.body());
                assertThat(body.path("status").asInt()).isEqualTo(503);
                assertThat(body.path("type").asText()).isEqualTo("INTEGRATION_FAILURE");
                assertThat(body.path("request").asText()).isEqualTo(a.headers().firstValue("x-amzn-RequestId")
                        .orElseThrow());
            });
            // the limit frees up: the next call is served
            assertThat(concurrently(1, api.endpoint(), 0).get(0).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFunctionSlowerThanTheIntegrationTimeoutGivesTheIntegrationTimeoutResponse() throws Exception {
        SamTemplate template = SamTemplate.parse(TEMPLATE);
        try (LocalLambdaService lambda = LocalLambdaService.builder(template).start();
             LocalApiGateway api = LocalApiGateway.start(template, lambda.endpoint(), 0, Duration.ofSeconds(1))) {
            HttpResponse<String> answer = concurrently(1, api.endpoint(), 4000).get(0);

            assertThat(answer.statusCode()).isEqualTo(504);
            assertThat(Json.MAPPER.readTree(answer.body()).path("message").asText())
                    .isEqualTo("Endpoint request timed out");
        }
    }

    @Test
    void theProjectApiAnswersA503ProblemDocumentWhenLambdaRefusesTheInvocation() throws Exception {
        SamTemplate template = SamTemplate.read(RepoRoot.find().resolve("template.yaml"));
        GatewayResponses responses = ApiDefinitions.gatewayResponses(template).get("ScaflowApi");

        GatewayResponses.Response failure = responses.render(GatewayResponses.Type.INTEGRATION_FAILURE, "req-1");
        GatewayResponses.Response timeout = responses.render(GatewayResponses.Type.INTEGRATION_TIMEOUT, "req-2");

        assertThat(failure.status()).isEqualTo(503);
        assertThat(failure.headers()).containsEntry("Retry-After", "1")
                .containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = Json.MAPPER.readTree(new String(failure.body(), StandardCharsets.UTF_8));
        assertThat(problem.path("type").asText()).isEqualTo("https://scaflow.dev/problems/service-unavailable");
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(timeout.status()).isEqualTo(504);
        assertThat(Json.MAPPER.readTree(new String(timeout.body(), StandardCharsets.UTF_8)).path("type").asText())
                .isEqualTo("https://scaflow.dev/problems/gateway-timeout");
        // not declared: API Gateway's own default
        assertThat(responses.render(GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN, "req-3").status())
                .isEqualTo(403);
    }

    /** {@code count} GETs released at once, each asking the function to sleep {@code sleepMs}. */
    private static List<HttpResponse<String>> concurrently(int count, URI endpoint, long sleepMs) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/things/" + i))
                        .timeout(Duration.ofSeconds(30)).header("X-Sleep-Ms", Long.toString(sleepMs)).GET().build();
                futures.add(callers.submit(() -> {
                    gate.await();
                    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            gate.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                answers.add(future.get(40, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            callers.shutdownNow();
        }
    }
}
