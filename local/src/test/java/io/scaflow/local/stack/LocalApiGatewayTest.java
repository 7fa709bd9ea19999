package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local API Gateway over real HTTP, with a test proxy handler behind the local Lambda service. */
class LocalApiGatewayTest {

    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Timeout: 5
                AutoPublishAlias: live
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: live
              Other:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: io.scaflow.local.stack.TestHandlers$Echo::handleRequest
                  Events:
                    Queue:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt Q.Arn
              ProxyFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: io.scaflow.local.stack.ProxyTestHandler::handleRequest
                  Events:
                    Start:
                      Type: Api
                      Properties:
                        RestApiId: !Ref Api
                        Path: /v1/actions
                        Method: post
                    Get:
                      Type: Api
                      Properties:
                        RestApiId: !Ref Api
                        Path: /v1/actions/{id}
                        Method: GET
                    Files:
                      Type: Api
                      Properties:
                        Path: /files/{proxy+}
                        Method: any
            """;

    private static LocalLambdaService lambda;
    private static LocalApiGateway api;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        SamTemplate template = SamTemplate.parse(TEMPLATE);
        lambda = LocalLambdaService.builder(template).start();
        api = LocalApiGateway.start(template, lambda.endpoint(), 0);
    }

    @AfterAll
    static void stop() {
        api.close();
        lambda.close();
    }

    @Test
    void readsTheApiEventsOfTheTemplate() {
        List<SamTemplate.ApiEvent> events = SamTemplate.parse(TEMPLATE).apiEvents();
        assertThat(events).extracting(e -> e.method() + " " + e.path() + " " + e.stageName())
                .containsExactly("POST /v1/actions live", "GET /v1/actions/{id} live", "ANY /files/{proxy+} Prod");
        assertThat(events.get(0).restApiId()).contains("Api");
        assertThat(events.get(2).restApiId()).isEmpty();
        assertThat(api.routes()).contains("GET /v1/actions/{id} -> ProxyFunction:live");
    }

    @Test
    void theProjectTemplateDeclaresTheFiveRoutesOfTheApiFunction() {
        SamTemplate template = SamTemplate.read(io.scaflow.local.emulator.RepoRoot.find().resolve("template.yaml"));
        assertThat(template.apiEvents()).extracting(e -> e.functionLogicalId() + " " + e.method() + " " + e.path()
                        + " " + e.restApiId().orElse("") + " " + e.stageName())
                .containsExactlyInAnyOrder(
                        "ApiFunction POST /v1/actions ScaflowApi live",
                        "ApiFunction POST /v1/transfers ScaflowApi live",
                        "ApiFunction GET /v1/actions/{id} ScaflowApi live",
                        "ApiFunction DELETE /v1/actions/{id} ScaflowApi live",
                        "ApiFunction POST /v1/actions/{id}/reconciliation ScaflowApi live");
        assertThat(template.function("ApiFunction").orElseThrow().handler())
                .isEqualTo("io.scaflow.api.ApiHandler::handleRequest");
    }

    @Test
    void buildsARestProxyEvent() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/v1/actions?a=1&b=x%20y&a=2"))
                .header("Content-Type", "application/json")
                .header("idempotency-key", "key-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\": 234.50}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        JsonNode event = Json.MAPPER.readTree(response.body());
        assertThat(event.get("resource").asText()).isEqualTo("/v1/actions");
        assertThat(event.get("path").asText()).isEqualTo("/v1/actions");
        assertThat(event.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(event.get("body").asText()).isEqualTo("{\"amount\": 234.50}");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.get("headers").get("Idempotency-Key").asText()).isEqualTo("key-1");
        assertThat(event.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
        assertThat(event.get("multiValueHeaders").get("Idempotency-Key").get(0).asText()).isEqualTo("key-1");
        assertThat(event.get("queryStringParameters").get("a").asText()).isEqualTo("2");
        assertThat(event.get("queryStringParameters").get("b").asText()).isEqualTo("x y");
        assertThat(event.get("multiValueQueryStringParameters").get("a"))
                .extracting(JsonNode::asText).containsExactly("1", "2");
        assertThat(event.get("pathParameters").isNull()).isTrue();
        JsonNode context = event.get("requestContext");
        assertThat(context.get("stage").asText()).isEqualTo("live");
        assertThat(context.get("resourcePath").asText()).isEqualTo("/v1/actions");
        assertThat(context.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(context.get("path").asText()).isEqualTo("/live/v1/actions");
        assertThat(context.get("requestId").asText()).isEqualTo(response.headers().firstValue("x-amzn-RequestId")
                .orElseThrow());
        assertThat(context.get("identity").get("userArn").asText()).isEqualTo(LocalApiGateway.CALLER_ARN);
        assertThat(context.get("identity").get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(context.get("identity").get("accountId").asText()).isEqualTo("123456789012");
    }

    @Test
    void fillsPathParametersAndLeavesAbsentPartsNull() throws Exception {
        HttpResponse<String> response = get("/v1/actions/flow-123");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode event = Json.MAPPER.readTree(response.body());
        assertThat(event.get("resource").asText()).isEqualTo("/v1/actions/{id}");
        assertThat(event.get("path").asText()).isEqualTo("/v1/actions/flow-123");
        assertThat(event.get("pathParameters").get("id").asText()).isEqualTo("flow-123");
        assertThat(event.get("queryStringParameters").isNull()).isTrue();
        assertThat(event.get("multiValueQueryStringParameters").isNull()).isTrue();
        assertThat(event.get("body").isNull()).isTrue();

        JsonNode greedy = Json.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(
                URI.create(api.origin() + "/Prod/files/a/b/c.txt")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(greedy.get("pathParameters").get("proxy").asText()).isEqualTo("a/b/c.txt");
        assertThat(greedy.get("requestContext").get("stage").asText()).isEqualTo("Prod");
    }

    @Test
    void unknownRoutesAndMethodsAreMissingAuthenticationToken() throws Exception {
        for (HttpRequest request : List.of(
                HttpRequest.newBuilder(uri("/v1/nothing")).GET().build(),
                HttpRequest.newBuilder(uri("/v1/actions/a/b")).GET().build(),
                HttpRequest.newBuilder(uri("/v1/actions/x")).DELETE().build(),
                HttpRequest.newBuilder(uri("/")).GET().build(),
                // a route outside its stage, or under another API's stage: as API Gateway, not found
                HttpRequest.newBuilder(api.origin().resolve("/v1/actions/x")).GET().build(),
                HttpRequest.newBuilder(api.origin().resolve("/Prod/v1/actions/x")).GET().build(),
                HttpRequest.newBuilder(api.origin().resolve("/live/files/a")).GET().build())) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(request.uri().toString()).isEqualTo(403);
            assertThat(response.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        }
    }

    @Test
    void aFunctionErrorOrAMalformedAnswerIs502() throws Exception {
        for (String mode : List.of("fail", "garbage")) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/v1/actions/x"))
                    .header("X-Mode", mode).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(mode).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"message\":\"Internal server error\"}");
        }
    }

    @Test
    void turnsTheProxyResponseIntoTheHttpAnswer() throws Exception {
        HttpResponse<String> multi = HTTP.send(HttpRequest.newBuilder(uri("/v1/actions/x"))
                .header("X-Mode", "multi").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(multi.statusCode()).isEqualTo(201);
        assertThat(multi.headers().firstValue("Location")).contains("/v1/things/1");
        assertThat(multi.headers().allValues("X-Many")).containsExactly("a", "b");
        assertThat(multi.headers().firstValue("Content-Type")).contains("application/json");

        HttpResponse<byte[]> binary = HTTP.send(HttpRequest.newBuilder(uri("/v1/actions/x"))
                .header("X-Mode", "binary").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(binary.body()).containsExactly(1, 2, 3);
        assertThat(binary.headers().firstValue("Content-Type")).contains("application/octet-stream");
    }

    @Test
    void pathPatterns() {
        assertThat(LocalApiGateway.pathPattern("/v1/actions/{id}", new java.util.ArrayList<>()).pattern())
                .isEqualTo("^" + Pattern.quote("/v1/actions/") + "([^/]+)" + Pattern.quote("") + "/?$");
        assertThat(LocalApiGateway.canonicalHeader("idempotency-key")).isEqualTo("Idempotency-Key");
        assertThat(LocalApiGateway.canonicalHeader("X-AMZ-DATE")).isEqualTo("X-Amz-Date");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code path} under the stage of the API the test template's first route belongs to ({@code /live}). */
    private static URI uri(String path) {
        assertThat(api.endpoint().getPath()).isEqualTo("/live");
        return URI.create(api.endpoint() + path);
    }
}
