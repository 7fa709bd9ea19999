package io.scaflow.local.stack;

import io.scaflow.local.LocalHttpServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.emulator.RepoRoot;

/**
 * A local Step Functions service: the AWS JSON 1.0 API subset scaflow uses, served on 127.0.0.1 for the AWS SDK's
 * {@code SfnClient} (give it {@link #endpoint()} as {@code endpointOverride}), with executions run by
 * aws-local-stepfunctions in one Node 22 process ({@code local/src/main/node/sfn-runner.mjs}). Lambda tasks go to the
 * Lambda endpoint given at start; {@code states:startExecution} Tasks ({@code .sync}, {@code .sync:2}) start child
 * executions on this service, run in the same Node process.
 *
 * <p>Operations: CreateStateMachine, DescribeStateMachine, ListStateMachines, StartExecution, DescribeExecution,
 * StopExecution, GetExecutionHistory, ListExecutions, for Standard and Express state machines. Everything is kept in
 * memory until {@link #close()}.
 *
 * <pre>{@code
 * try (LocalStepFunctions sfn = LocalStepFunctions.start(lambdaEndpoint)) {
 *     String arn = sfn.registerStateMachine("ScaFlow", DefinitionSubstitutions.apply(text, arns));
 *     SfnClient client = LocalAws.sfn(sfn.endpoint());
 *     client.startExecution(b -> b.stateMachineArn(arn).name("flow-1").input("{}"));
 * }
 * }</pre>
 */
public final class LocalStepFunctions implements AutoCloseable {
    /** The account in the ARNs. */
    public static final String ACCOUNT_ID = LocalAws.ACCOUNT_ID;
    private static final String HOST = "127.0.0.1";
    private static final String TARGET_PREFIX = "AWSStepFunctions.";

    /** What AWS publishes to EventBridge as "Step Functions Execution Status Change" when an execution ends. */
    public record ExecutionEnd(String executionArn, String stateMachineArn, String name, String status) {
    }

    /** A state machine's {@code Type}: Standard (exactly once, history kept) or Express (at least once, 5 minutes). */
    public enum Type { STANDARD, EXPRESS }

    private final ObjectMapper mapper = new ObjectMapper();
    private final SfnOperations operations;
    private final HttpServer server;
    private final ExecutorService httpExecutor;
    private final SfnRunner runner;
    private final URI endpoint;

    private LocalStepFunctions(Path repoRoot, URI lambdaEndpoint) {
        this.operations = new SfnOperations(mapper, new SfnOperations.Engine() {
            @Override
            public void send(ObjectNode command) {
                runner.send(command);
            }

            @Override
            public String prepare(String definitionJson, Duration timeout) {
                return runner.prepare(definitionJson, timeout);
            }

            @Override
            public Path logFile() {
                return runner.logFile();
            }
        });
        this.runner = SfnRunner.start(repoRoot, lambdaEndpoint, mapper, operations.executions()::onRunnerMessage,
                operations.executions()::onRunnerExit);
        try {
            this.server = LocalHttpServers.create(new InetSocketAddress(InetAddress.getByName(HOST), 0), 1024);
        } catch (IOException e) {
            runner.close();
            throw new UncheckedIOException("cannot listen on " + HOST, e);
        }
        this.httpExecutor = Executors.newCachedThreadPool(LocalHttpServers.daemonThreads("local-sfn-http"));
        server.setExecutor(httpExecutor);
        server.createContext("/", this::handle);
        server.start();
        this.endpoint = URI.create("http://" + HOST + ":" + server.getAddress().getPort());
    }

    /** Starts the service from the repository root found by {@link RepoRoot#find()}. */
    public static LocalStepFunctions start(URI lambdaEndpoint) {
        return start(RepoRoot.find(), lambdaEndpoint);
    }

    /**
     * Starts the Node runner (from {@code repoRoot}'s {@code node_modules}, installed by {@code make node}) and the
     * HTTP service; Lambda tasks are invoked at {@code lambdaEndpoint} (the Lambda Invoke API).
     *
     * @throws IllegalStateException when node_modules is missing ("run make node") or the runner does not start
     */
    public static LocalStepFunctions start(Path repoRoot, URI lambdaEndpoint) {
        return new LocalStepFunctions(repoRoot, lambdaEndpoint);
    }

    /** The service's base URI, e.g. {@code http://127.0.0.1:41234}: the SDK's {@code endpointOverride}. */
    public URI endpoint() {
        return endpoint;
    }

    /** How long the Node runner took to start (spawn until the library was loaded). */
    public Duration runnerStartupTime() {
        return runner.startupTime();
    }

    /** The file receiving the Node runner's stderr (library messages, crashes). */
    public Path runnerLogFile() {
        return runner.logFile();
    }

    /** The ARN a state machine of this name gets. */
    public static String stateMachineArn(String name) {
        return "arn:aws:states:" + LocalAws.REGION_ID + ":" + ACCOUNT_ID + ":stateMachine:" + name;
    }

    /**
     * Registers (or replaces) a state machine; the definition must have its substitutions applied already
     * ({@link DefinitionSubstitutions#apply}). The engine validates it at once.
     *
     * @return the state machine's ARN
     * @throws IllegalArgumentException when the name is invalid or the engine rejects the definition
     */
    public String registerStateMachine(String name, String definitionJson) {
        return registerStateMachine(name, definitionJson, Type.STANDARD);
    }

    /** As {@link #registerStateMachine(String, String)}, of the given type. */
    public String registerStateMachine(String name, String definitionJson, Type type) {
        return operations.register(name, definitionJson, type.name());
    }

    /**
     * For tests: Wait states of these names pause this many milliseconds instead of their own time, in executions
     * started from now on (aws-local-stepfunctions' {@code waitTimeOverrides}). An empty map clears them.
     */
    public void overrideWaitTimes(Map<String, Long> millisByStateName) {
        operations.executions().overrideWaitTimes(millisByStateName);
    }

    /**
     * For tests: retries of these states pause this many milliseconds instead of their IntervalSeconds / backoff,
     * in executions started from now on (aws-local-stepfunctions' {@code retryIntervalOverrides}).
     */
    public void overrideRetryIntervals(Map<String, Long> millisByStateName) {
        operations.executions().overrideRetryIntervals(millisByStateName);
    }

    /**
     * For tests: Express executions started from now on end TIMED_OUT after {@code limit} instead of 5 minutes
     * (null: 5 minutes again).
     */
    public void overrideExpressLimit(Duration limit) {
        operations.executions().overrideExpressLimit(limit);
    }

    /**
     * Calls {@code listener} (on another thread) each time an execution ends, as EventBridge would deliver the
     * status change event in AWS.
     */
    public void onExecutionEnd(Consumer<ExecutionEnd> listener) {
        operations.executions().onExecutionEnd(listener);
    }

    /** Stops the HTTP service and the Node runner; running executions end with it. */
    @Override
    public void close() {
        server.stop(0);
        httpExecutor.shutdownNow();
        runner.close();
    }

    // ------------------------------------------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int status = 200;
            JsonNode answer;
            try {
                if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                    throw new SfnApiException("UnknownOperationException",
                            "expected POST / with X-Amz-Target: AWSStepFunctions.<Operation>");
                }
                JsonNode request = body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
                answer = operations.dispatch(target.substring(TARGET_PREFIX.length()), request);
            } catch (SfnApiException e) {
                status = 400;
                answer = mapper.createObjectNode().put("__type", e.type()).put("message", e.getMessage());
            } catch (IOException e) {
                status = 400;
                answer = mapper.createObjectNode().put("__type", "SerializationException").put("message", e.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                answer = mapper.createObjectNode().put("__type", "InternalFailure").put("message", String.valueOf(e));
            }
            byte[] bytes = mapper.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
