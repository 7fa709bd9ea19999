package io.scaflow.local.stack;

import io.scaflow.local.LocalHttpServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.emulator.RepoRoot;

/**
 * A local Step Functions service: the AWS JSON 1.0 API subset scaflow uses, served on 127.0.0.1 for the AWS SDK's
 * {@code SfnClient} (give it {@link #endpoint()} as {@code endpointOverride}), with executions run by
 * aws-local-stepfunctions in one Node 22 process ({@code local/src/main/node/sfn-runner.mjs}). Lambda tasks go to the
 * Lambda endpoint given at start.
 *
 * <p>Operations: CreateStateMachine, DescribeStateMachine, ListStateMachines, StartExecution, DescribeExecution,
 * StopExecution, GetExecutionHistory, ListExecutions. Everything is kept in memory until {@link #close()}.
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
    private static final Duration PREPARE_TIMEOUT = Duration.ofSeconds(30);
    /** AWS: 1-80 characters; no whitespace, brackets, wildcards, special or control characters. */
    private static final Pattern INVALID_NAME_CHARS =
            Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, StateMachine> stateMachines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, Long> waitTimeOverrides = new ConcurrentHashMap<>();
    private final Map<String, Long> retryIntervalOverrides = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService httpExecutor;
    private final SfnRunner runner;
    private final URI endpoint;

    private LocalStepFunctions(Path repoRoot, URI lambdaEndpoint) {
        this.runner = SfnRunner.start(repoRoot, lambdaEndpoint, mapper, this::onRunnerMessage, this::onRunnerExit);
        try {
            this.server = LocalHttpServers.create(new InetSocketAddress(InetAddress.getByName(HOST), 0), 64);
        } catch (IOException e) {
            runner.close();
            throw new UncheckedIOException("cannot listen on " + HOST, e);
        }
        this.httpExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-sfn-http");
            t.setDaemon(true);
            return t;
        });
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
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        try {
            mapper.readTree(definitionJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("the definition of " + name + " is not JSON: " + e.getMessage(), e);
        }
        String invalid = runner.prepare(definitionJson, PREPARE_TIMEOUT);
        if (invalid != null) {
            throw new IllegalArgumentException("the definition of " + name + " is invalid: " + invalid);
        }
        String arn = stateMachineArn(name);
        stateMachines.compute(arn, (key, old) -> new StateMachine(arn, name, definitionJson,
                old == null ? Instant.now() : old.created));
        return arn;
    }

    /**
     * For tests: Wait states of these names pause this many milliseconds instead of their own time, in executions
     * started from now on (aws-local-stepfunctions' {@code waitTimeOverrides}). An empty map clears them.
     */
    public void overrideWaitTimes(Map<String, Long> millisByStateName) {
        waitTimeOverrides.clear();
        waitTimeOverrides.putAll(millisByStateName);
    }

    /**
     * For tests: retries of these states pause this many milliseconds instead of their IntervalSeconds / backoff,
     * in executions started from now on (aws-local-stepfunctions' {@code retryIntervalOverrides}).
     */
    public void overrideRetryIntervals(Map<String, Long> millisByStateName) {
        retryIntervalOverrides.clear();
        retryIntervalOverrides.putAll(millisByStateName);
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
                    throw new SfnException("UnknownOperationException",
                            "expected POST / with X-Amz-Target: AWSStepFunctions.<Operation>");
                }
                JsonNode request = body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
                answer = dispatch(target.substring(TARGET_PREFIX.length()), request);
            } catch (SfnException e) {
                status = 400;
                answer = mapper.createObjectNode().put("__type", e.type).put("message", e.getMessage());
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

    private JsonNode dispatch(String operation, JsonNode request) {
        return switch (operation) {
            case "CreateStateMachine" -> createStateMachine(request);
            case "DescribeStateMachine" -> describeStateMachine(request);
            case "ListStateMachines" -> listStateMachines();
            case "StartExecution" -> startExecution(request);
            case "DescribeExecution" -> describeExecution(request);
            case "StopExecution" -> stopExecution(request);
            case "GetExecutionHistory" -> getExecutionHistory(request);
            case "ListExecutions" -> listExecutions(request);
            default -> throw new SfnException("UnknownOperationException",
                    "the local Step Functions service does not implement " + operation);
        };
    }

    // ------------------------------------------------------------------------------------------------- state machines

    private JsonNode createStateMachine(JsonNode request) {
        String name = request.path("name").asText("");
        String problem = nameProblem(name);
        if (problem != null) {
            throw new SfnException("InvalidName", problem);
        }
        String definition = request.path("definition").asText("");
        String arn = stateMachineArn(name);
        StateMachine existing = stateMachines.get(arn);
        if (existing != null && !existing.definition.equals(definition)) {
            throw new SfnException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
        }
        try {
            registerStateMachine(name, definition);
        } catch (IllegalArgumentException e) {
            throw new SfnException("InvalidDefinition", e.getMessage());
        }
        return mapper.createObjectNode().put("stateMachineArn", arn)
                .put("creationDate", epochSeconds(stateMachines.get(arn).created));
    }

    private JsonNode describeStateMachine(JsonNode request) {
        StateMachine machine = stateMachine(request.path("stateMachineArn").asText(""));
        return mapper.createObjectNode().put("stateMachineArn", machine.arn).put("name", machine.name)
                .put("status", "ACTIVE").put("definition", machine.definition)
                .put("roleArn", "arn:aws:iam::" + ACCOUNT_ID + ":role/local-stepfunctions").put("type", "STANDARD")
                .put("creationDate", epochSeconds(machine.created));
    }

    private JsonNode listStateMachines() {
        ArrayNode list = mapper.createArrayNode();
        stateMachines.values().stream().sorted(Comparator.comparing(m -> m.name)).forEach(m -> list.addObject()
                .put("stateMachineArn", m.arn).put("name", m.name).put("type", "STANDARD")
                .put("creationDate", epochSeconds(m.created)));
        ObjectNode answer = mapper.createObjectNode();
        answer.set("stateMachines", list);
        return answer;
    }

    private StateMachine stateMachine(String arn) {
        if (!arn.startsWith("arn:aws:states:")) {
            throw new SfnException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        StateMachine machine = stateMachines.get(arn);
        if (machine == null) {
            throw new SfnException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return machine;
    }

    // ------------------------------------------------------------------------------------------------- executions

    private JsonNode startExecution(JsonNode request) {
        StateMachine machine = stateMachine(request.path("stateMachineArn").asText(""));
        String name = request.hasNonNull("name") ? request.get("name").asText() : UUID.randomUUID().toString();
        String problem = nameProblem(name);
        if (problem != null) {
            throw new SfnException("InvalidName", problem);
        }
        String inputText = request.hasNonNull("input") ? request.get("input").asText() : "{}";
        JsonNode input;
        try {
            input = mapper.readTree(inputText);
        } catch (IOException e) {
            throw new SfnException("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
                    + e.getMessage().lines().findFirst().orElse("") + "'");
        }
        if (input == null || input.isMissingNode()) {
            throw new SfnException("InvalidExecutionInput", "Invalid State Machine Execution Input: empty");
        }
        String executionArn = "arn:aws:states:" + LocalAws.REGION_ID + ":" + ACCOUNT_ID + ":execution:"
                + machine.name + ":" + name;
        Execution created = new Execution(executionArn, name, machine, inputText, Instant.now());
        Execution existing = executions.putIfAbsent(executionArn, created);
        if (existing != null) {
            synchronized (existing) {
                if (existing.status.equals("RUNNING") && existing.input.equals(inputText)) {
                    return startAnswer(existing);
                }
            }
            throw new SfnException("ExecutionAlreadyExists", "Execution Already Exists: '" + executionArn + "'");
        }
        ObjectNode context = mapper.createObjectNode();
        ObjectNode execution = context.putObject("Execution");
        execution.put("Id", executionArn).put("Name", name).put("StartTime", created.startDate.toString())
                .put("RoleArn", "arn:aws:iam::" + ACCOUNT_ID + ":role/local-stepfunctions");
        execution.set("Input", input);
        context.putObject("StateMachine").put("Id", machine.arn).put("Name", machine.name);
        ObjectNode command = mapper.createObjectNode().put("type", "start").put("executionId", executionArn)
                .put("name", name).put("definition", machine.definition);
        command.set("input", input);
        command.set("context", context);
        if (!waitTimeOverrides.isEmpty()) {
            command.set("waitTimeOverrides", mapper.valueToTree(Map.copyOf(waitTimeOverrides)));
        }
        if (!retryIntervalOverrides.isEmpty()) {
            command.set("retryIntervalOverrides", mapper.valueToTree(Map.copyOf(retryIntervalOverrides)));
        }
        try {
            runner.send(command);
        } catch (RuntimeException e) {
            synchronized (created) {
                created.finish("FAILED", Instant.now(), null, "States.Runtime", e.getMessage());
            }
            throw e;
        }
        return startAnswer(created);
    }

    private ObjectNode startAnswer(Execution execution) {
        return mapper.createObjectNode().put("executionArn", execution.arn)
                .put("startDate", epochSeconds(execution.startDate));
    }

    private Execution execution(String arn) {
        if (!arn.startsWith("arn:aws:states:")) {
            throw new SfnException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        Execution execution = executions.get(arn);
        if (execution == null) {
            throw new SfnException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return execution;
    }

    private JsonNode describeExecution(JsonNode request) {
        Execution execution = execution(request.path("executionArn").asText(""));
        synchronized (execution) {
            ObjectNode answer = mapper.createObjectNode()
                    .put("executionArn", execution.arn)
                    .put("stateMachineArn", execution.stateMachine.arn)
                    .put("name", execution.name)
                    .put("status", execution.status)
                    .put("startDate", epochSeconds(execution.startDate))
                    .put("input", execution.input);
            answer.putObject("inputDetails").put("included", true);
            if (execution.stopDate != null) {
                answer.put("stopDate", epochSeconds(execution.stopDate));
            }
            if (execution.output != null) {
                answer.put("output", execution.output);
                answer.putObject("outputDetails").put("included", true);
            }
            if (execution.error != null) {
                answer.put("error", execution.error);
            }
            if (execution.cause != null) {
                answer.put("cause", execution.cause);
            }
            return answer;
        }
    }

    private JsonNode stopExecution(JsonNode request) {
        Execution execution = execution(request.path("executionArn").asText(""));
        boolean wasRunning;
        Instant stopDate;
        synchronized (execution) {
            wasRunning = execution.status.equals("RUNNING");
            if (wasRunning) {
                String error = request.hasNonNull("error") ? request.get("error").asText() : null;
                String cause = request.hasNonNull("cause") ? request.get("cause").asText() : null;
                Instant now = Instant.now();
                ObjectNode details = mapper.createObjectNode();
                if (error != null) {
                    details.put("error", error);
                }
                if (cause != null) {
                    details.put("cause", cause);
                }
                execution.addEvent("ExecutionAborted", now, "executionAbortedEventDetails", details);
                execution.finish("ABORTED", now, null, error, cause);
            }
            stopDate = execution.stopDate;
        }
        if (wasRunning) {
            try {
                runner.send(mapper.createObjectNode().put("type", "stop").put("executionId", execution.arn));
            } catch (RuntimeException ignored) {
                // runner gone: the execution is stopped anyway
            }
        }
        return mapper.createObjectNode().put("stopDate", epochSeconds(stopDate));
    }

    private JsonNode getExecutionHistory(JsonNode request) {
        Execution execution = execution(request.path("executionArn").asText(""));
        boolean reverse = request.path("reverseOrder").asBoolean(false);
        boolean includeData = request.path("includeExecutionData").asBoolean(true);
        int max = request.path("maxResults").asInt(0);
        max = max <= 0 ? 1000 : Math.min(max, 1000);
        int offset = parseToken(request);
        List<ObjectNode> events;
        synchronized (execution) {
            events = new ArrayList<>(execution.events);
        }
        if (reverse) {
            java.util.Collections.reverse(events);
        }
        ArrayNode page = mapper.createArrayNode();
        int end = Math.min(events.size(), offset + max);
        for (int i = offset; i < end; i++) {
            ObjectNode event = events.get(i).deepCopy();
            if (!includeData) {
                stripData(event);
            }
            page.add(event);
        }
        ObjectNode answer = mapper.createObjectNode();
        answer.set("events", page);
        if (end < events.size()) {
            answer.put("nextToken", Integer.toString(end));
        }
        return answer;
    }

    private static void stripData(ObjectNode event) {
        event.fields().forEachRemaining(field -> {
            if (field.getValue() instanceof ObjectNode details) {
                details.remove(List.of("input", "output"));
            }
        });
    }

    private JsonNode listExecutions(JsonNode request) {
        StateMachine machine = stateMachine(request.path("stateMachineArn").asText(""));
        String statusFilter = request.hasNonNull("statusFilter") ? request.get("statusFilter").asText() : null;
        int max = request.path("maxResults").asInt(0);
        max = max <= 0 ? 100 : Math.min(max, 1000);
        int offset = parseToken(request);
        List<Execution> matching = executions.values().stream()
                .filter(e -> e.stateMachine.arn.equals(machine.arn))
                .filter(e -> statusFilter == null || statusFilter.equals(e.status))
                .sorted(Comparator.comparing((Execution e) -> e.startDate).thenComparing(e -> e.sequence).reversed())
                .toList();
        ArrayNode list = mapper.createArrayNode();
        int end = Math.min(matching.size(), offset + max);
        for (Execution execution : matching.subList(Math.min(offset, end), end)) {
            synchronized (execution) {
                ObjectNode item = list.addObject()
                        .put("executionArn", execution.arn)
                        .put("stateMachineArn", execution.stateMachine.arn)
                        .put("name", execution.name)
                        .put("status", execution.status)
                        .put("startDate", epochSeconds(execution.startDate));
                if (execution.stopDate != null) {
                    item.put("stopDate", epochSeconds(execution.stopDate));
                }
            }
        }
        ObjectNode answer = mapper.createObjectNode();
        answer.set("executions", list);
        if (end < matching.size()) {
            answer.put("nextToken", Integer.toString(end));
        }
        return answer;
    }

    private static int parseToken(JsonNode request) {
        if (!request.hasNonNull("nextToken")) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(request.get("nextToken").asText()));
        } catch (NumberFormatException e) {
            throw new SfnException("InvalidToken", "Invalid Token: '" + request.get("nextToken").asText() + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------- runner messages

    private void onRunnerMessage(JsonNode message) {
        Execution execution = executions.get(message.path("executionId").asText(""));
        if (execution == null) {
            return;
        }
        synchronized (execution) {
            if (!execution.status.equals("RUNNING")) {
                return; // stopped from here: the engine's late events are not part of the history
            }
            switch (message.path("type").asText()) {
                case "event" -> addEngineEvent(execution, message.path("event"));
                case "done" -> finishFromEngine(execution, message);
                case "error" -> {
                    Instant now = Instant.now();
                    String cause = message.path("message").asText("runner error");
                    addFailedEvent(execution, now, "States.Runtime", cause);
                    execution.finish("FAILED", now, null, "States.Runtime", cause);
                }
                default -> {
                    // unknown message: ignore
                }
            }
        }
    }

    private void onRunnerExit() {
        for (Execution execution : executions.values()) {
            synchronized (execution) {
                if (execution.status.equals("RUNNING")) {
                    Instant now = Instant.now();
                    String cause = "the Step Functions runner exited; see " + runner.logFile();
                    addFailedEvent(execution, now, "States.Runtime", cause);
                    execution.finish("FAILED", now, null, "States.Runtime", cause);
                }
            }
        }
    }

    /** Maps an aws-local-stepfunctions event log entry to AWS history events. */
    private void addEngineEvent(Execution execution, JsonNode event) {
        Instant at = event.hasNonNull("timestamp") ? Instant.ofEpochMilli(event.get("timestamp").asLong()) : Instant.now();
        JsonNode state = event.path("state");
        String stateName = state.path("name").asText();
        String stateType = state.path("type").asText();
        switch (event.path("type").asText()) {
            case "ExecutionStarted" -> {
                ObjectNode details = mapper.createObjectNode().put("input", json(event.get("input")))
                        .put("roleArn", "arn:aws:iam::" + ACCOUNT_ID + ":role/local-stepfunctions");
                details.putObject("inputDetails").put("truncated", false);
                execution.addEvent("ExecutionStarted", at, "executionStartedEventDetails", details);
            }
            case "StateEntered" -> {
                ObjectNode details = mapper.createObjectNode().put("name", stateName)
                        .put("input", json(state.get("input")));
                details.putObject("inputDetails").put("truncated", false);
                execution.addEvent(stateType + "StateEntered", at, "stateEnteredEventDetails", details);
            }
            case "StateExited" -> {
                ObjectNode details = mapper.createObjectNode().put("name", stateName)
                        .put("output", json(state.get("output")));
                details.putObject("outputDetails").put("truncated", false);
                execution.addEvent(stateType + "StateExited", at, "stateExitedEventDetails", details);
            }
            case "StateFailed" -> {
                if (stateType.equals("Task")) {
                    ObjectNode details = mapper.createObjectNode().put("error", event.path("Error").asText())
                            .put("cause", event.path("Cause").asText(""));
                    execution.addEvent("LambdaFunctionFailed", at, "lambdaFunctionFailedEventDetails", details);
                }
            }
            case "ExecutionSucceeded" -> {
                ObjectNode details = mapper.createObjectNode().put("output", json(event.get("output")));
                details.putObject("outputDetails").put("truncated", false);
                execution.addEvent("ExecutionSucceeded", at, "executionSucceededEventDetails", details);
            }
            case "ExecutionFailed" -> addFailedEvent(execution, at, event.path("Error").asText(),
                    event.path("Cause").asText(""));
            case "ExecutionAborted" -> execution.addEvent("ExecutionAborted", at, "executionAbortedEventDetails",
                    mapper.createObjectNode());
            case "ExecutionTimeout" -> execution.addEvent("ExecutionTimedOut", at, "executionTimedOutEventDetails",
                    mapper.createObjectNode().put("error", "States.Timeout"));
            default -> {
                // StateRetried, StateCaught, Map/Parallel events: AWS has no event of that shape
            }
        }
    }

    private void addFailedEvent(Execution execution, Instant at, String error, String cause) {
        execution.addEvent("ExecutionFailed", at, "executionFailedEventDetails",
                mapper.createObjectNode().put("error", error).put("cause", cause));
    }

    private void finishFromEngine(Execution execution, JsonNode done) {
        Instant now = Instant.now();
        String status = done.path("status").asText("FAILED");
        String output = done.has("output") ? json(done.get("output")) : null;
        String error = done.hasNonNull("error") ? done.get("error").asText() : null;
        String cause = done.hasNonNull("cause") ? done.get("cause").asText() : null;
        switch (status) {
            case "SUCCEEDED" -> execution.finish("SUCCEEDED", now, output, null, null);
            case "ABORTED" -> execution.finish("ABORTED", now, null, null, null);
            case "TIMED_OUT" -> execution.finish("TIMED_OUT", now, null, error, cause);
            default -> {
                if (execution.events.stream().noneMatch(e -> e.path("type").asText().equals("ExecutionFailed"))) {
                    addFailedEvent(execution, now, error == null ? "States.Runtime" : error, cause == null ? "" : cause);
                }
                execution.finish("FAILED", now, null, error, cause);
            }
        }
    }

    private String json(JsonNode value) {
        try {
            return mapper.writeValueAsString(value == null ? mapper.nullNode() : value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static String nameProblem(String name) {
        if (name == null || name.isEmpty() || name.length() > 80) {
            return "Invalid Name: '" + name + "' (1 to 80 characters)";
        }
        if (INVALID_NAME_CHARS.matcher(name).find()) {
            return "Invalid Name: '" + name + "'";
        }
        return null;
    }

    /** AWS JSON timestamps: epoch seconds with a fraction. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }

    private static final class StateMachine {
        final String arn;
        final String name;
        final String definition;
        final Instant created;

        StateMachine(String arn, String name, String definition, Instant created) {
            this.arn = arn;
            this.name = name;
            this.definition = definition;
            this.created = created;
        }
    }

    /** What AWS publishes to EventBridge as "Step Functions Execution Status Change" when an execution ends. */
    public record ExecutionEnd(String executionArn, String stateMachineArn, String name, String status) {
    }

    /**
     * Calls {@code listener} (on another thread) each time an execution ends, as EventBridge would deliver the
     * status change event in AWS.
     */
    public void onExecutionEnd(Consumer<ExecutionEnd> listener) {
        endListeners.add(listener);
    }

    private final List<Consumer<ExecutionEnd>> endListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    /** One execution; guarded by its own monitor. */
    private final class Execution {
        final String arn;
        final String name;
        final StateMachine stateMachine;
        final String input;
        final Instant startDate;
        final long sequence = SEQUENCE.incrementAndGet();
        final List<ObjectNode> events = new ArrayList<>();
        String status = "RUNNING";
        Instant stopDate;
        String output;
        String error;
        String cause;

        Execution(String arn, String name, StateMachine stateMachine, String input, Instant startDate) {
            this.arn = arn;
            this.name = name;
            this.stateMachine = stateMachine;
            this.input = input;
            this.startDate = startDate;
        }

        void addEvent(String type, Instant at, String detailsField, ObjectNode details) {
            long id = events.size() + 1;
            ObjectNode event = mapper.createObjectNode()
                    .put("timestamp", epochSeconds(at))
                    .put("type", type)
                    .put("id", id)
                    .put("previousEventId", id - 1);
            event.set(detailsField, details);
            events.add(event);
        }

        void finish(String finalStatus, Instant at, String finalOutput, String finalError, String finalCause) {
            status = finalStatus;
            stopDate = at;
            output = finalOutput;
            error = finalError;
            cause = finalCause;
            ExecutionEnd end = new ExecutionEnd(arn, stateMachine.arn, name, finalStatus);
            for (Consumer<ExecutionEnd> listener : endListeners) {
                CompletableFuture.runAsync(() -> listener.accept(end));
            }
        }
    }

    /** An AWS error answer: HTTP 400 {@code {"__type": type, "message": ...}}. */
    private static final class SfnException extends RuntimeException {
        final String type;

        SfnException(String type, String message) {
            super(message);
            this.type = type;
        }
    }
}
