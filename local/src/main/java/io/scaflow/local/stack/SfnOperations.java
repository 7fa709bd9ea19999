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
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Step Functions API operations of {@link LocalStepFunctions} over its registry of state machines (kept in
 * memory) and its executions ({@link SfnExecutions}), run by the engine (the Node runner).
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
    private final Map<String, LocalExecution.StateMachine> stateMachines = new ConcurrentHashMap<>();
    private final SfnExecutions executions;

    SfnOperations(ObjectMapper mapper, Engine engine) {
        this.mapper = mapper;
        this.engine = engine;
        this.executions = new SfnExecutions(mapper, engine, new EngineEvents(mapper, ROLE_ARN), this::stateMachine);
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
    String register(String name, String definitionJson, String type) {
        if (!type.equals("STANDARD") && !type.equals("EXPRESS")) {
            throw new IllegalArgumentException("the type of " + name + " must be STANDARD or EXPRESS, not " + type);
        }
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
        stateMachines.compute(arn, (key, old) -> new LocalExecution.StateMachine(arn, name, definitionJson, type,
                old == null ? Instant.now() : old.created()));
        return arn;
    }

    SfnExecutions executions() {
        return executions;
    }

    // ------------------------------------------------------------------------------------------------- state machines

    private JsonNode createStateMachine(JsonNode request) {
        String name = request.path("name").asText("");
        String problem = nameProblem(name);
        if (problem != null) {
            throw new SfnApiException("InvalidName", problem);
        }
        String definition = request.path("definition").asText("");
        String type = request.path("type").asText("STANDARD");
        String arn = LocalStepFunctions.stateMachineArn(name);
        LocalExecution.StateMachine existing = stateMachines.get(arn);
        if (existing != null && (!existing.definition().equals(definition) || !existing.type().equals(type))) {
            throw new SfnApiException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
        }
        try {
            register(name, definition, type);
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
                .put("roleArn", ROLE_ARN).put("type", machine.type())
                .put("creationDate", LocalExecution.epochSeconds(machine.created()));
    }

    private JsonNode listStateMachines() {
        ArrayNode list = mapper.createArrayNode();
        stateMachines.values().stream().sorted(Comparator.comparing(LocalExecution.StateMachine::name)).forEach(m -> list.addObject()
                .put("stateMachineArn", m.arn()).put("name", m.name()).put("type", m.type())
                .put("creationDate", LocalExecution.epochSeconds(m.created())));
        ObjectNode answer = mapper.createObjectNode();
        answer.set("stateMachines", list);
        return answer;
    }

    /** The registered state machine of an ARN; InvalidArn or StateMachineDoesNotExist. */
    LocalExecution.StateMachine stateMachine(String arn) {
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
        String name = request.hasNonNull("name") ? request.get("name").asText() : null;
        String inputText = request.hasNonNull("input") ? request.get("input").asText() : "{}";
        LocalExecution execution = executions.start(machine, name, inputText);
        return mapper.createObjectNode().put("executionArn", execution.arn)
                .put("startDate", LocalExecution.epochSeconds(execution.startDate));
    }

    private JsonNode describeExecution(JsonNode request) {
        LocalExecution execution = executions.get(request.path("executionArn").asText(""));
        synchronized (execution) {
            return execution.describe();
        }
    }

    private JsonNode stopExecution(JsonNode request) {
        LocalExecution execution = executions.get(request.path("executionArn").asText(""));
        String error = request.hasNonNull("error") ? request.get("error").asText() : null;
        String cause = request.hasNonNull("cause") ? request.get("cause").asText() : null;
        Instant stopDate = executions.stop(execution, error, cause);
        return mapper.createObjectNode().put("stopDate", LocalExecution.epochSeconds(stopDate));
    }

    private JsonNode getExecutionHistory(JsonNode request) {
        LocalExecution execution = executions.get(request.path("executionArn").asText(""));
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
        List<LocalExecution> matching = executions.all().stream()
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
