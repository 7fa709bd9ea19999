package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.local.emulator.LocalAws;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The Step Functions API operations of {@link LocalStepFunctions} over its registries of state machines and
 * executions (kept in memory), with executions run by the engine (the Node runner).
 */
final class SfnOperations {

    /** What runs the executions: the Node runner, seen through the calls the operations make. */
    interface Engine {
        void send(ObjectNode command);

        /** Validates and caches a definition: null when valid, else the engine's message. */
        String prepare(String definitionJson, Duration timeout);

        Path logFile();
    }

    static final String ROLE_ARN = "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":role/local-stepfunctions";
    private static final Duration PREPARE_TIMEOUT = Duration.ofSeconds(30);
    /** AWS: 1-80 characters; no whitespace, brackets, wildcards, special or control characters. */
    private static final Pattern INVALID_NAME_CHARS =
            Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]");

    private final ObjectMapper mapper;
    private final Engine engine;
    private final EngineEvents engineEvents;
    private final Map<String, LocalExecution.StateMachine> stateMachines = new ConcurrentHashMap<>();
    private final Map<String, LocalExecution> executions = new ConcurrentHashMap<>();
    private final Map<String, Long> waitTimeOverrides = new ConcurrentHashMap<>();
    private final Map<String, Long> retryIntervalOverrides = new ConcurrentHashMap<>();
    private final List<Consumer<LocalStepFunctions.ExecutionEnd>> endListeners = new CopyOnWriteArrayList<>();

    SfnOperations(ObjectMapper mapper, Engine engine) {
        this.mapper = mapper;
        this.engine = engine;
        this.engineEvents = new EngineEvents(mapper, ROLE_ARN);
    }

    JsonNode dispatch(String operation, JsonNode request) {
        return switch (operation) {
            case "CreateStateMachine" -> createStateMachine(request);
            case "DescribeStateMachine" -> describeStateMachine(request);
            case "ListStateMachines" -> listStateMachines();
            case "StartExecution" -> startExecution(request);
            case "DescribeExecution" -> describeExecution(request);
            case "StopExecution" -> stopExecution(request);
            case "GetExecutionHistory" -> getExecutionHistory(request);
            case "ListExecutions" -> listExecutions(request);
            default -> throw new SfnApiException("UnknownOperationException",
                    "the local Step Functions service does not implement " + operation);
        };
    }

    /** Registers (or replaces) a state machine; see {@link LocalStepFunctions#registerStateMachine}. */
    String register(String name, String definitionJson) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        try {
            mapper.readTree(definitionJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("the definition of " + name + " is not JSON: " + e.getMessage(), e);
        }
        String invalid = engine.prepare(definitionJson, PREPARE_TIMEOUT);
        if (invalid != null) {
            throw new IllegalArgumentException("the definition of " + name + " is invalid: " + invalid);
        }
        String arn = LocalStepFunctions.stateMachineArn(name);
        stateMachines.compute(arn, (key, old) -> new LocalExecution.StateMachine(arn, name, definitionJson,
                old == null ? Instant.now() : old.created()));
        return arn;
    }

    void overrideWaitTimes(Map<String, Long> millisByStateName) {
        waitTimeOverrides.clear();
        waitTimeOverrides.putAll(millisByStateName);
    }

    void overrideRetryIntervals(Map<String, Long> millisByStateName) {
        retryIntervalOverrides.clear();
        retryIntervalOverrides.putAll(millisByStateName);
    }

    void onExecutionEnd(Consumer<LocalStepFunctions.ExecutionEnd> listener) {
        endListeners.add(listener);
    }

    private void announce(LocalStepFunctions.ExecutionEnd end) {
        for (Consumer<LocalStepFunctions.ExecutionEnd> listener : endListeners) {
            CompletableFuture.runAsync(() -> listener.accept(end));
        }
    }

    // ------------------------------------------------------------------------------------------------- state machines

    private JsonNode createStateMachine(JsonNode request) {
        String name = request.path("name").asText("");
        String problem = nameProblem(name);
        if (problem != null) {
            throw new SfnApiException("InvalidName", problem);
        }
        String definition = request.path("definition").asText("");
        String arn = LocalStepFunctions.stateMachineArn(name);
        LocalExecution.StateMachine existing = stateMachines.get(arn);
        if (existing != null && !existing.definition().equals(definition)) {
            throw new SfnApiException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
        }
        try {
            register(name, definition);
        } catch (IllegalArgumentException e) {
            throw new SfnApiException("InvalidDefinition", e.getMessage());
        }
        return mapper.createObjectNode().put("stateMachineArn", arn)
                .put("creationDate", LocalExecution.epochSeconds(stateMachines.get(arn).created()));
    }

    private JsonNode describeStateMachine(JsonNode request) {
        LocalExecution.StateMachine machine = stateMachine(request.path("stateMachineArn").asText(""));
        return mapper.createObjectNode().put("stateMachineArn", machine.arn()).put("name", machine.name())
                .put("status", "ACTIVE").put("definition", machine.definition())
                .put("roleArn", ROLE_ARN).put("type", "STANDARD")
                .put("creationDate", LocalExecution.epochSeconds(machine.created()));
    }

    private JsonNode listStateMachines() {
        ArrayNode list = mapper.createArrayNode();
        stateMachines.values().stream().sorted(Comparator.comparing(LocalExecution.StateMachine::name)).forEach(m -> list.addObject()
                .put("stateMachineArn", m.arn()).put("name", m.name()).put("type", "STANDARD")
                .put("creationDate", LocalExecution.epochSeconds(m.created())));
        ObjectNode answer = mapper.createObjectNode();
        answer.set("stateMachines", list);
        return answer;
    }

    private LocalExecution.StateMachine stateMachine(String arn) {
        if (!arn.startsWith("arn:aws:states:")) {
            throw new SfnApiException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        LocalExecution.StateMachine machine = stateMachines.get(arn);
        if (machine == null) {
            throw new SfnApiException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return machine;
    }

    // ------------------------------------------------------------------------------------------------- executions

    private JsonNode startExecution(JsonNode request) {
        LocalExecution.StateMachine machine = stateMachine(request.path("stateMachineArn").asText(""));
        String name = request.hasNonNull("name") ? request.get("name").asText() : UUID.randomUUID().toString();
        String problem = nameProblem(name);
        if (problem != null) {
            throw new SfnApiException("InvalidName", problem);
        }
        String inputText = request.hasNonNull("input") ? request.get("input").asText() : "{}";
        JsonNode input;
        try {
            input = mapper.readTree(inputText);
        } catch (IOException e) {
            throw new SfnApiException("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
                    + e.getMessage().lines().findFirst().orElse("") + "'");
        }
        if (input == null || input.isMissingNode()) {
            throw new SfnApiException("InvalidExecutionInput", "Invalid State Machine Execution Input: empty");
        }
        String executionArn = "arn:aws:states:" + LocalAws.REGION_ID + ":" + LocalAws.ACCOUNT_ID + ":execution:"
                + machine.name() + ":" + name;
        LocalExecution created = new LocalExecution(executionArn, name, machine, inputText, Instant.now(), mapper,
                this::announce);
        LocalExecution existing = executions.putIfAbsent(executionArn, created);
        if (existing != null) {
            synchronized (existing) {
                if (existing.status.equals("RUNNING") && existing.input.equals(inputText)) {
                    return startAnswer(existing);
                }
            }
            throw new SfnApiException("ExecutionAlreadyExists", "Execution Already Exists: '" + executionArn + "'");
        }
        ObjectNode context = mapper.createObjectNode();
        ObjectNode execution = context.putObject("Execution");
        execution.put("Id", executionArn).put("Name", name).put("StartTime", created.startDate.toString())
                .put("RoleArn", ROLE_ARN);
        execution.set("Input", input);
        context.putObject("StateMachine").put("Id", machine.arn()).put("Name", machine.name());
        ObjectNode command = mapper.createObjectNode().put("type", "start").put("executionId", executionArn)
                .put("name", name).put("definition", machine.definition());
        command.set("input", input);
        command.set("context", context);
        if (!waitTimeOverrides.isEmpty()) {
            command.set("waitTimeOverrides", mapper.valueToTree(Map.copyOf(waitTimeOverrides)));
        }
        if (!retryIntervalOverrides.isEmpty()) {
            command.set("retryIntervalOverrides", mapper.valueToTree(Map.copyOf(retryIntervalOverrides)));
        }
        try {
            engine.send(command);
        } catch (RuntimeException e) {
            synchronized (created) {
                created.finish("FAILED", Instant.now(), null, "States.Runtime", e.getMessage());
            }
            throw e;
        }
        return startAnswer(created);
    }

    private ObjectNode startAnswer(LocalExecution execution) {
        return mapper.createObjectNode().put("executionArn", execution.arn)
                .put("startDate", LocalExecution.epochSeconds(execution.startDate));
    }

    private LocalExecution execution(String arn) {
        if (!arn.startsWith("arn:aws:states:")) {
            throw new SfnApiException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        LocalExecution execution = executions.get(arn);
        if (execution == null) {
            throw new SfnApiException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return execution;
    }

    private JsonNode describeExecution(JsonNode request) {
        LocalExecution execution = execution(request.path("executionArn").asText(""));
        synchronized (execution) {
            return execution.describe();
        }
    }

    private JsonNode stopExecution(JsonNode request) {
        LocalExecution execution = execution(request.path("executionArn").asText(""));
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
                engine.send(mapper.createObjectNode().put("type", "stop").put("executionId", execution.arn));
            } catch (RuntimeException ignored) {
                // runner gone: the execution is stopped anyway
            }
        }
        return mapper.createObjectNode().put("stopDate", LocalExecution.epochSeconds(stopDate));
    }

    private JsonNode getExecutionHistory(JsonNode request) {
        LocalExecution execution = execution(request.path("executionArn").asText(""));
        boolean reverse = request.path("reverseOrder").asBoolean(false);
        boolean includeData = request.path("includeExecutionData").asBoolean(true);
        int max = request.path("maxResults").asInt(0);
        max = max <= 0 ? 1000 : Math.min(max, 1000);
        int offset = parseToken(request);
        synchronized (execution) {
            return execution.historyPage(offset, max, reverse, includeData);
        }
    }

    private JsonNode listExecutions(JsonNode request) {
        LocalExecution.StateMachine machine = stateMachine(request.path("stateMachineArn").asText(""));
        String statusFilter = request.hasNonNull("statusFilter") ? request.get("statusFilter").asText() : null;
        int max = request.path("maxResults").asInt(0);
        max = max <= 0 ? 100 : Math.min(max, 1000);
        int offset = parseToken(request);
        List<LocalExecution> matching = executions.values().stream()
                .filter(e -> e.stateMachine.arn().equals(machine.arn()))
                .filter(e -> statusFilter == null || statusFilter.equals(e.status))
                .sorted(Comparator.comparing((LocalExecution e) -> e.startDate).thenComparing(e -> e.sequence).reversed())
                .toList();
        ArrayNode list = mapper.createArrayNode();
        int end = Math.min(matching.size(), offset + max);
        for (LocalExecution execution : matching.subList(Math.min(offset, end), end)) {
            synchronized (execution) {
                ObjectNode item = list.addObject()
                        .put("executionArn", execution.arn)
                        .put("stateMachineArn", execution.stateMachine.arn())
                        .put("name", execution.name)
                        .put("status", execution.status)
                        .put("startDate", LocalExecution.epochSeconds(execution.startDate));
                if (execution.stopDate != null) {
                    item.put("stopDate", LocalExecution.epochSeconds(execution.stopDate));
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
            throw new SfnApiException("InvalidToken", "Invalid Token: '" + request.get("nextToken").asText() + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------- engine

    /** A message of the runner about one execution. */
    void onRunnerMessage(JsonNode message) {
        LocalExecution execution = executions.get(message.path("executionId").asText(""));
        if (execution == null) {
            return;
        }
        synchronized (execution) {
            if (execution.isRunning()) {
                engineEvents.apply(execution, message);
            }
            // else: stopped from here; the engine's late events are not part of the history
        }
    }

    /** The runner is gone: every running execution fails. */
    void onRunnerExit() {
        for (LocalExecution execution : executions.values()) {
            synchronized (execution) {
                if (execution.isRunning()) {
                    Instant now = Instant.now();
                    String cause = "the Step Functions runner exited; see " + engine.logFile();
                    execution.addFailedEvent(now, "States.Runtime", cause);
                    execution.finish("FAILED", now, null, "States.Runtime", cause);
                }
            }
        }
    }

    private String json(JsonNode value) {
        return engineEvents.json(value);
    }

    static String nameProblem(String name) {
        if (name == null || name.isEmpty() || name.length() > 80) {
            return "Invalid Name: '" + name + "' (1 to 80 characters)";
        }
        if (INVALID_NAME_CHARS.matcher(name).find()) {
            return "Invalid Name: '" + name + "'";
        }
        return null;
    }
}
