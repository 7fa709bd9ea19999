package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.config.Env;
import io.scaflow.flow.FlowServices;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.emulator.MotoServer;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.sandbox.ShineSandbox;
import io.scaflow.core.Secret;
import io.scaflow.store.Flow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** The local Lambda service over real HTTP with the SDK's LambdaClient, against moto and the Shine sandbox. */
class LocalLambdaServiceTest {

    private static final String UID = "user-42";
    private static final String CREATE = "CreateActionRequestFunction";

    private static MotoServer moto;
    private static ShineSandbox sandbox;
    private static SamTemplate template;
    private static LocalResources resources;
    private static LocalLambdaService lambda;
    private static LambdaClient client;
    private static FlowServices services;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0));
        template = SamTemplate.read(RepoRoot.find().resolve("template.yaml"));
        resources = LocalResources.create(template, moto.endpoint(), "flows-" + UUID.randomUUID(),
                Map.of("ShineApiBaseUrl", sandbox.baseUrl()), sandbox.clientId(), sandbox.clientSecret());
        lambda = LocalLambdaService.builder(template)
                .references(resources.references())
                .environment(resources.functionEnvironment())
                .start();
        client = client(lambda);
        services = FlowServices.create(lambda.environment(CREATE), java.time.Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (lambda != null) {
            lambda.close();
        }
        if (resources != null) {
            resources.delete();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void functionsGetTheTemplateEnvironmentResolvedLocally() {
        Env env = lambda.environment(CREATE);
        assertThat(env.required("TABLE_NAME")).isEqualTo(resources.tableName());
        assertThat(env.required("SHINE_API_BASE_URL")).isEqualTo(sandbox.baseUrl());
        assertThat(env.required("SHINE_CREDENTIALS_SECRET_ID")).isEqualTo("scaflow/shine-credentials")
                .isEqualTo(resources.credentialsSecretName());
        assertThat(env.optional("SHINE_CLIENT_ID")).isEmpty();
        assertThat(env.required("MAX_ATTEMPTS")).isEqualTo("3");
        assertThat(env.required("AWS_ENDPOINT_URL")).isEqualTo(moto.endpoint().toString());
        assertThat(resources.ttlEnabled()).isTrue();
        assertThat(lambda.functionNames()).hasSize(7);
        assertThat(lambda.environment("PublishStatusEventsFunction").required("EVENT_BUS_NAME"))
                .as("a bus named by its logical id, when no local bus is given").isEqualTo("StatusEventBus");
        assertThat(lambda.environment("ApiFunction").required("STATE_MACHINE_ARN"))
                .isEqualTo("arn:aws:states:eu-west-3:123456789012:stateMachine:ScaFlowStateMachine");
        assertThat(lambda.functionReferences()).containsEntry("CreateActionRequestFunction.Alias",
                "arn:aws:lambda:eu-west-3:123456789012:function:CreateActionRequestFunction:live");
    }

    @Test
    void createsActionRequestsWhenInvokedByNameAndByArn() {
        long before = lambda.invocations(CREATE);
        String byName = recordFlow();
        InvokeResponse first = invoke(client, CREATE, "{\"flowId\": \"" + byName + "\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.functionError()).isNull();
        assertThat(json(first).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");

        String byArn = recordFlow();
        InvokeResponse second = invoke(client, lambda.functionArn(CREATE) + ":live", "{\"flowId\": \"" + byArn + "\"}");
        assertThat(second.functionError()).isNull();
        assertThat(json(second).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(json(second).get("attempt").asInt()).isEqualTo(1);

        InvokeResponse qualified = invoke(client, CREATE + ":$LATEST", "{\"flowId\": \"" + byArn + "\"}");
        assertThat(json(qualified).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");

        assertThat(lambda.invocations(CREATE) - before).isEqualTo(3);
        assertThat(services.store().get(byName).actionRequestId()).isNotBlank();
        assertThat(sandbox.actionRequests()).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aHandlerExceptionIsAnUnhandledFunctionError() {
        InvokeResponse response = invoke(client, CREATE, "{\"flowId\": \"not a valid id!\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(response);
        assertThat(error.get("errorType").asText()).isEqualTo("io.scaflow.input.InvalidInputException");
        assertThat(error.get("errorMessage").asText()).contains("flowId");
        assertThat(error.get("stackTrace").isEmpty()).isTrue();
    }

    @Test
    void anUnknownFunctionOrQualifierIsResourceNotFound() {
        assertThatThrownBy(() -> invoke(client, "NoSuchFunction", "{}"))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Function not found");
        assertThatThrownBy(() -> invoke(client, CREATE + ":nope", "{}"))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aPayloadThatIsNotJsonIsRefused() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        lambda.endpoint().resolve(LocalLambdaService.PATH_PREFIX + CREATE + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("InvalidRequestContentException");
    }

    @Test
    void aWrongHandlerFailsTheInvocationAsTheJavaRuntimeDoes() throws Exception {
        String yaml = Files.readString(RepoRoot.find().resolve("template.yaml"))
                .replace("io.scaflow.flow.RecordFailureHandler::handleRequest", "io.scaflow.flow.NoSuchHandler::handleRequest")
                .replace("io.scaflow.flow.ExecuteActionHandler::handleRequest", "io.scaflow.flow.ExecuteActionHandler::run");
        try (LocalLambdaService broken = LocalLambdaService.builder(SamTemplate.parse(yaml))
                .references(resources.references()).environment(resources.functionEnvironment()).start();
             LambdaClient brokenClient = client(broken)) {
            InvokeResponse missingClass = invoke(brokenClient, "RecordFailureFunction", "{\"flowId\": \"f-1\"}");
            assertThat(missingClass.functionError()).isEqualTo("Unhandled");
            assertThat(json(missingClass).get("errorType").asText()).isEqualTo("java.lang.ClassNotFoundException");
            assertThat(json(missingClass).get("errorMessage").asText())
                    .isEqualTo("Class not found: io.scaflow.flow.NoSuchHandler");

            InvokeResponse missingMethod = invoke(brokenClient, "ExecuteActionFunction", "{\"flowId\": \"f-1\"}");
            assertThat(missingMethod.functionError()).isEqualTo("Unhandled");
            assertThat(json(missingMethod).get("errorType").asText()).isEqualTo("java.lang.NoSuchMethodException");
            assertThat(broken.invocations("RecordFailureFunction")).isEqualTo(1);
        }
    }

    private static String recordFlow() {
        String flowId = UUID.randomUUID().toString();
        services.store().create(Flow.pending(flowId, "bank:transfers:create", UID,
                Json.MAPPER.createObjectNode().put("amount", new java.math.BigDecimal("12.30"))
                        .put("bankTransferRecipientId", "recipient-7").put("uid", UID),
                Secret.of(sandbox.accessTokenOf(UID)), Instant.now()));
        return flowId;
    }

    private static LambdaClient client(LocalLambdaService service) {
        return LocalAws.local(LambdaClient.builder(), service.endpoint()).build();
    }

    private static InvokeResponse invoke(LambdaClient client, String function, String payload) {
        return client.invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(payload)));
    }

    private static JsonNode json(InvokeResponse response) {
        try {
            return Json.MAPPER.readTree(response.payload().asByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
