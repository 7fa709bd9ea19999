package io.scaflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a REST proxy event maps to an ApiRequest: the caller (the owner of {@code identity.userArn}, or nobody, whom
 * the API answers 403: {@link CallerIdentityTest}), headers, path parameters and body.
 */
class ApiRequestTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "an IAM user, not its caller id|{\"userArn\": \"arn:aws:iam::123456789012:user/u\", \"caller\": \"AIDA1\"}|{}"
                    + "|arn:aws:iam::123456789012:user/u",
            "a role session, as its role|{\"userArn\": \"arn:aws:sts::123456789012:assumed-role/backend/task-a\","
                    + " \"caller\": \"AROA1:task-a\"}|{}|arn:aws:iam::123456789012:role/backend",
            "a caller id without an ARN: nobody|{\"userArn\": \" \", \"caller\": \"AIDA1\"}|{}|",
            "the account without an identity: nobody|{}|{\"accountId\": \"123456789012\"}|",
            "a userArn that is not text: nobody|{\"userArn\": 5}|{}|",
            "a userArn that is no IAM ARN: nobody|{\"userArn\": \"anonymous\"}|{}|"})
    void theCallerIsTheOwnerOfTheEventsUserArnOrNobody(String what, String identity, String context, String caller) {
        ObjectNode event = event();
        ObjectNode requestContext = (ObjectNode) json(context);
        requestContext.set("identity", json(identity));
        event.set("requestContext", requestContext);

        assertThat(ApiRequest.from(event).caller()).isEqualTo(caller);
    }

    @Test
    void headerNamesAreCaseInsensitiveAndMultiValueHeadersCount() {
        ObjectNode event = event();
        event.putObject("headers").put("content-type", "application/json");
        event.putObject("multiValueHeaders").putArray("X-Only-Here").add("a");

        ApiRequest request = ApiRequest.from(event);

        assertThat(request.header("Content-Type")).contains("application/json");
        assertThat(request.header("x-only-here")).contains("a");
        assertThat(request.header("Idempotency-Key")).isEmpty();
    }

    @Test
    void aHeaderSentTwiceWithDifferentValuesIsAProblemNamingIt() {
        ObjectNode event = event();
        event.putObject("multiValueHeaders").putArray("Idempotency-Key").add("a").add("b");

        assertThatThrownBy(() -> ApiRequest.from(event).header("Idempotency-Key")).isInstanceOfSatisfying(Problem.class,
                problem -> assertThat(problem.getMessage()).contains("more than once"));
    }

    @Test
    void aBase64BodyIsDecodedAndAPlainOneKept() {
        ObjectNode encoded = event().put("isBase64Encoded", true)
                .put("body", Base64.getEncoder().encodeToString("{\"é\": 1}".getBytes(StandardCharsets.UTF_8)));
        ObjectNode plain = event().put("body", "{\"a\": 1}");

        assertThat(ApiRequest.from(encoded).body()).isEqualTo("{\"é\": 1}");
        assertThat(ApiRequest.from(plain).body()).isEqualTo("{\"a\": 1}");
        assertThat(ApiRequest.from(event().putNull("body")).body()).isNull();
    }

    @Test
    void onlyTextPathParametersAndFieldsAreRead() {
        ObjectNode event = event().put("httpMethod", 7);
        event.putObject("pathParameters").put("id", "f-1").put("n", 3);

        ApiRequest request = ApiRequest.from(event);

        assertThat(request.pathParameters()).containsOnlyKeys("id");
        assertThat(request.method()).isEmpty();
    }

    private static ObjectNode event() {
        return Json.MAPPER.createObjectNode().put("resource", "/v1/actions").put("path", "/v1/actions")
                .put("httpMethod", "POST");
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
