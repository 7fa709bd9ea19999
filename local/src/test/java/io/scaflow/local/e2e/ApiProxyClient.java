package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.api.ApiHandler;
import io.scaflow.config.Env;
import io.scaflow.flow.FlowServices;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.RepoRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;

/**
 * The public API's handler wired to the resources of an {@link E2eStack}'s stack, called in-process with REST proxy
 * events (payload 1.0) as API Gateway builds them; each answer is the handler's proxy result
 * ({@code statusCode}, {@code headers}, {@code body}).
 */
final class ApiProxyClient {

    static final String CALLER = "arn:aws:iam::123456789012:user/test";

    private final E2eDriver driver;
    private FlowServices services;
    private ApiHandler handler;

    ApiProxyClient(E2eDriver driver) {
        this.driver = driver;
    }

    /** The services of the API function on the stack (made on first use: the stack runs once the tests run). */
    synchronized FlowServices services() {
        if (services == null) {
            services = servicesFor(driver.stack().stateMachineArn());
            handler = new ApiHandler(services);
        }
        return services;
    }

    /** As the API function's, but starting executions of {@code stateMachineArn}. */
    FlowServices servicesFor(String stateMachineArn) {
        Env env = driver.stack().lambda().harnessEnvironment("CreateActionRequestFunction").with(Map.of(
                "STATE_MACHINE_ARN", stateMachineArn,
                "AWS_ENDPOINT_URL_SFN", driver.stack().stepFunctions().endpoint().toString()));
        return FlowServices.create(env, Clock.systemUTC());
    }

    JsonNode call(String method, String resource, String id, String body, Map<String, String> headers) {
        services();
        return call(handler, method, resource, id, body, headers);
    }

    /** Sends a REST proxy event (payload 1.0) as API Gateway builds it to {@code handler}; returns the proxy result. */
    static JsonNode call(ApiHandler handler, String method, String resource, String id, String body,
                         Map<String, String> headers) {
        ObjectNode event = Json.MAPPER.createObjectNode()
                .put("httpMethod", method)
                .put("resource", resource)
                .put("path", id == null ? resource : resource.replace("{id}", id));
        if (id != null) {
            event.putObject("pathParameters").put("id", id);
        }
        ObjectNode headerNode = event.putObject("headers").put("Content-Type", "application/json");
        headers.forEach(headerNode::put);
        if (body != null) {
            event.put("body", body);
        }
        event.putObject("requestContext").putObject("identity").put("userArn", CALLER);
        try {
            return invoke(handler, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code event} as it is (a sample of events/, say). */
    JsonNode invoke(JsonNode event) throws IOException {
        services();
        return invoke(handler, event);
    }

    private static JsonNode invoke(ApiHandler handler, JsonNode event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    /** A sample event of the events/ folder, as {@code sam local invoke} sends it. */
    static ObjectNode sample(String file) throws IOException {
        return (ObjectNode) Json.MAPPER.readTree(Files.readString(RepoRoot.find().resolve("events").resolve(file)));
    }

    static JsonNode body(JsonNode answer) {
        try {
            return Json.MAPPER.readTree(answer.get("body").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertProblem(JsonNode answer, int status, String slug) {
        assertThat(answer.get("statusCode").asInt()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.get("headers").get("Content-Type").asText()).isEqualTo("application/problem+json");
        JsonNode problem = body(answer);
        assertThat(problem.get("type").asText()).endsWith("/" + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    static String transfer(String uid, String amount, String recipient) {
        return transferWithToken(uid, amount, recipient, "token-1");
    }

    static String transferWithToken(String uid, String amount, String recipient, String token) {
        return "{\"uid\": \"" + uid + "\", \"amount\": " + amount + ", \"bankTransferRecipientId\": \"" + recipient
                + "\", \"accessToken\": \"" + token + "\"}";
    }
}
