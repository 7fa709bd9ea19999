package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.stack.SignedRequests.Signing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local gateway with SigV4 checking on ({@code make run SIGV4=1}): requests signed by the AWS SDK's own signer
 * reach the function with their signer's identity; unsigned and badly signed ones get API Gateway's 403s and never
 * reach it.
 */
class LocalApiGatewaySigV4Test {

    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: live
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
            """;
    private static final String OTHER_ARN = "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":role/payments-backend";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalLambdaService lambda;
    private static LocalApiGateway api;

    @BeforeAll
    static void start() {
        SamTemplate template = SamTemplate.parse(TEMPLATE);
        lambda = LocalLambdaService.builder(template).start();
        LocalCredentials credentials = LocalCredentials.of(List.of(
                LocalCredentials.Identity.of(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY,
                        LocalApiGateway.CALLER_ARN, LocalCredentials.LOCAL_PRINCIPAL_ID),
                LocalCredentials.Identity.of("AKIAOTHERLOCALKEY", "other-secret", OTHER_ARN, "AROAOTHERLOCAL")));
        api = LocalApiGateway.start(template, lambda.endpoint(), 0, credentials);
    }

    @AfterAll
    static void stop() {
        api.close();
        lambda.close();
    }

    @Test
    void anUnsignedRequestIsMissingAuthenticationTokenAndNeverReachesTheFunction() throws Exception {
        long before = lambda.invocations("ProxyFunction");
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(api.endpoint() + "/v1/actions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        assertThat(answer.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        assertThat(lambda.invocations("ProxyFunction")).isEqualTo(before);
    }

    @Test
    void aSignedRequestReachesTheFunctionAsItsSigner() throws Exception {
        HttpResponse<String> mine = send(sign("POST", "/v1/actions", "{\"a\": 1}", Signing.local()));
        HttpResponse<String> other = send(sign("POST", "/v1/actions", "{}",
                new Signing("AKIAOTHERLOCALKEY", "other-secret", LocalAws.REGION_ID, Clock.systemUTC())));

        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        JsonNode identity = Json.MAPPER.readTree(mine.body()).path("requestContext").path("identity");
        assertThat(identity.path("userArn").asText()).isEqualTo(LocalApiGateway.CALLER_ARN);
        assertThat(identity.path("accessKey").asText()).isEqualTo(LocalAws.ACCESS_KEY_ID);
        assertThat(identity.path("caller").asText()).isEqualTo(LocalCredentials.LOCAL_PRINCIPAL_ID);
        assertThat(Json.MAPPER.readTree(mine.body()).path("body").asText()).isEqualTo("{\"a\": 1}");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(other.body()).at("/requestContext/identity/userArn").asText())
                .isEqualTo(OTHER_ARN);
    }

    @Test
    void aSignedPathWithParametersAndAQueryIsVerified() throws Exception {
        HttpResponse<String> answer = send(sign("GET", "/v1/actions/flow%20one?b=2&a=x%2Fy&a=1", null,
                Signing.local()));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(answer.body()).at("/multiValueQueryStringParameters/a"))
                .extracting(JsonNode::asText).containsExactly("x/y", "1");
    }

    @Test
    void aWrongSecretOrAChangedBodyIsASignatureMismatch() throws Exception {
        HttpRequest.Builder wrongSecret = sign("POST", "/v1/actions", "{}",
                new Signing(LocalAws.ACCESS_KEY_ID, "not-the-secret", LocalAws.REGION_ID, Clock.systemUTC()));
        HttpRequest.Builder changedBody = sign("POST", "/v1/actions", "{\"amount\": 1}", Signing.local())
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\": 1000}"));

        for (HttpRequest.Builder request : List.of(wrongSecret, changedBody)) {
            HttpResponse<String> answer = send(request);
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(Json.MAPPER.readTree(answer.body()).path("message").asText()).isEqualTo(SigV4Verifier.MISMATCH);
            assertThat(answer.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        }
    }

    @Test
    void anOldSignatureHasExpired() throws Exception {
        Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        HttpResponse<String> answer = send(sign("POST", "/v1/actions", "{}",
                new Signing(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, LocalAws.REGION_ID, tenMinutesAgo)));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(answer.body()).path("message").asText())
                .matches("Signature expired: \\d{8}T\\d{6}Z is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)");
    }

    @Test
    void anUnknownKeyAnotherRegionOrAnotherSchemeIsRefused() throws Exception {
        HttpResponse<String> unknown = send(sign("POST", "/v1/actions", "{}",
                new Signing("AKIANOSUCHKEY", "x", LocalAws.REGION_ID, Clock.systemUTC())));
        HttpResponse<String> region = send(sign("POST", "/v1/actions", "{}",
                new Signing(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, "us-east-1", Clock.systemUTC())));
        HttpResponse<String> bearer = send(HttpRequest.newBuilder(URI.create(api.endpoint() + "/v1/actions/x"))
                .header("Authorization", "Bearer abc").GET());

        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(unknown.body()).path("message").asText()).isEqualTo(SigV4Verifier.INVALID_TOKEN);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
        assertThat(region.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(region.body()).path("message").asText())
                .isEqualTo("Credential should be scoped to a valid region, not 'us-east-1'.");
        assertThat(bearer.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(bearer.body()).path("message").asText())
                .startsWith("Authorization header requires 'Credential' parameter.");
        assertThat(bearer.headers().firstValue("x-amzn-ErrorType")).hasValue("IncompleteSignatureException");
    }

    @Test
    void anUnknownRouteIsStillMissingAuthenticationTokenWhenSigned() throws Exception {
        HttpResponse<String> answer = send(sign("GET", "/v1/nothing", null, Signing.local()));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
    }

    /** The request to {@code pathAndQuery} under the stage, signed by the AWS SDK's SigV4 signer. */
    private static HttpRequest.Builder sign(String method, String pathAndQuery, String body, Signing signing) {
        return SignedRequests.sign(method, URI.create(api.endpoint() + pathAndQuery), body, signing);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
