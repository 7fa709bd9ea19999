package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.RepoRoot;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime-client mode with a probe handler in artifact folders of its own: the real runtime interface client
 * in JVMs of their own, talking to the local Runtime API; what it is given and how its failures are reported.
 */
class RuntimeClientFunctionsTest {

    private static final String HANDLER = "io.scaflow.local.stack.RuntimeProbeHandler::handleRequest";
    private static final String TEMPLATE = """
            Globals:
              Function:
                Runtime: java21
                Timeout: 2
                MemorySize: 256
                Environment:
                  Variables:
                    GREETING: !Sub "hello ${AWS::Region}"
            Resources:
              ProbeFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: %1$s
                  AutoPublishAlias: live
              TimeoutFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: %1$s
              ExitFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: %1$s
                  MemorySize: 512
              MissingFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: io.scaflow.local.stack.NoSuchHandler::handleRequest
            """.formatted(HANDLER);
    private static final List<String> FUNCTIONS = List.of("ProbeFunction", "TimeoutFunction", "ExitFunction",
            "MissingFunction");

    @TempDir
    static Path build;
    private static LocalLambdaService lambda;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        for (String function : FUNCTIONS) {
            Path classes = build.resolve(function).resolve("io/scaflow/local/stack");
            Files.createDirectories(classes);
            Files.createDirectories(build.resolve(function).resolve("lib"));
            if (!function.equals("MissingFunction")) {
                try (InputStream in = RuntimeProbeHandler.class.getResourceAsStream("RuntimeProbeHandler.class")) {
                    Files.write(classes.resolve("RuntimeProbeHandler.class"), in.readAllBytes());
                }
            }
        }
        Path root = RepoRoot.find();
        lambda = LocalLambdaService.builder(SamTemplate.parse(TEMPLATE))
                .runtimeClient(RuntimeClientConfig.of(root, root.resolve("local/target/runtime-client-test.log"))
                        .withBuildDir(build))
                .start();
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    @Test
    void theHandlerRunsInItsOwnJvmFromItsArtifactWithLambdasContextAndEnvironment() throws Exception {
        HttpResponse<String> response = invoke("ProbeFunction:live", "{}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).isEmpty();
        JsonNode probe = Json.MAPPER.readTree(response.body());
        assertThat(probe.get("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(probe.get("requestId").asText()).isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertThat(probe.get("functionName").asText()).isEqualTo("ProbeFunction");
        assertThat(probe.get("invokedArn").asText()).isEqualTo(lambda.functionArn("ProbeFunction") + ":live");
        assertThat(probe.get("remainingMs").asLong()).isBetween(1L, 2000L);
        assertThat(probe.get("memoryLimitMb").asInt()).isEqualTo(256);
        // -XX:MaxHeapSize is 85 % of MemorySize; the JVM reports a little less (a survivor space)
        assertThat(probe.get("maxHeapBytes").asLong()).isBetween(256L * 1024 * 1024 * 70 / 100,
                256L * 1024 * 1024 * 85 / 100);
        assertThat(Path.of(probe.get("workingDir").asText())).isEqualTo(build.resolve("ProbeFunction").toAbsolutePath());
        assertThat(probe.get("traceHeader").asText()).startsWith("Root=1-");
        assertThat(probe.get("greeting").asText()).isEqualTo("hello eu-west-3");
        assertThat(probe.get("executionEnv").asText()).isEqualTo("AWS_Lambda_java21");
        assertThat(probe.get("handlerEnv").asText()).isEqualTo(HANDLER);
        // the client loads its native library from the file the service unpacked once, not from the fixed /tmp
        // path each client JVM would otherwise overwrite while another loads it
        assertThat(Path.of(probe.get("nativeLibrary").asText())).isRegularFile()
                .isNotEqualTo(Path.of("/tmp/.libaws-lambda-jni.so"));

        JsonNode again = Json.MAPPER.readTree(invoke("ProbeFunction", "{}").body());
        assertThat(again.get("pid").asLong()).as("a warm environment is reused").isEqualTo(probe.get("pid").asLong());
    }

    @Test
    void aHandlerExceptionIsReportedAsTheJavaRuntimeReportsIt() throws Exception {
        HttpResponse<String> response = invoke("ProbeFunction", "{\"fail\": true}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
        JsonNode error = Json.MAPPER.readTree(response.body());
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("errorMessage").asText()).isEqualTo("the probe failed as asked");
        assertThat(error.get("stackTrace").get(0).asText()).contains("RuntimeProbeHandler.handleRequest");
    }

    @Test
    void aTimedOutInvocationIsSandboxTimedoutAndTheJvmIsReplaced() throws Exception {
        long before = Json.MAPPER.readTree(invoke("TimeoutFunction", "{}").body()).get("pid").asLong();
        HttpResponse<String> response = invoke("TimeoutFunction", "{\"sleepMs\": 60000}");
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
        JsonNode error = Json.MAPPER.readTree(response.body());
        assertThat(error.get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(error.get("errorMessage").asText()).endsWith("Error: Task timed out after 2.00 seconds");
        assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive)).as("the timed-out JVM is killed")
                .isNotEqualTo(java.util.Optional.of(true));
        long after = Json.MAPPER.readTree(invoke("TimeoutFunction", "{}").body()).get("pid").asLong();
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void aRuntimeThatExitsIsRuntimeExitErrorAndTheNextInvocationStartsAnother() throws Exception {
        HttpResponse<String> response = invoke("ExitFunction", "{\"exit\": 3}");
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
        JsonNode error = Json.MAPPER.readTree(response.body());
        assertThat(error.get("errorType").asText()).isEqualTo("Runtime.ExitError");
        assertThat(error.get("errorMessage").asText()).endsWith("Runtime exited with error: exit status 3");
        JsonNode next = Json.MAPPER.readTree(invoke("ExitFunction", "{}").body());
        assertThat(next.get("memoryLimitMb").asInt()).isEqualTo(512);
    }

    @Test
    void aHandlerClassThatIsNotThereIsAnInitErrorAsTheJavaRuntimeReportsIt() throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) { // every invocation tries the init again
            HttpResponse<String> response = invoke("MissingFunction", "{}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
            JsonNode error = Json.MAPPER.readTree(response.body());
            assertThat(error.get("errorType").asText()).isEqualTo("java.lang.ClassNotFoundException");
            assertThat(error.get("errorMessage").asText()).contains("io.scaflow.local.stack.NoSuchHandler");
        }
    }

    @Test
    void aMissingArtifactFolderFailsTheStartNamingItAndTheFix(@TempDir Path empty) {
        Path root = RepoRoot.find();
        assertThatThrownBy(() -> LocalLambdaService.builder(SamTemplate.parse(TEMPLATE))
                .runtimeClient(RuntimeClientConfig.of(root, root.resolve("local/target/runtime-client-test.log"))
                        .withBuildDir(empty))
                .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no sam build output for ProbeFunction")
                .hasMessageContaining(empty.resolve("ProbeFunction").toString())
                .hasMessageContaining("make sam-build");
    }

    private static HttpResponse<String> invoke(String function, String payload) throws Exception {
        URI uri = lambda.endpoint().resolve(LocalLambdaService.PATH_PREFIX + function + "/invocations");
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
