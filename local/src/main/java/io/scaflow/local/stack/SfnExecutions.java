package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.local.emulator.LocalAws;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The executions of the local Step Functions service and their lives: started through the API or by a parent's
 * {@code states:startExecution} Task (the runner's {@code startChild}), run by the engine, stopped (a stopped or
 * ended parent stops its running children, as the {@code .sync} integrations do in AWS), ended by the engine's
 * messages. Express executions get Express ARNs, no name uniqueness and a 5-minute limit.
 */
final class SfnExecutions {

    /** The longest an Express execution runs (AWS: 5 minutes). */
    static final Duration EXPRESS_LIMIT = Duration.ofMinutes(5);

    private final ObjectMapper mapper;
    private final SfnOperations.Engine engine;
    private final EngineEvents engineEvents;
    private final Function<String, LocalExecution.StateMachine> machines;
    private final Map<String, LocalExecution> executions = new ConcurrentHashMap<>();
    private final Map<String, Long> waitTimeOverrides = new ConcurrentHashMap<>();
    private final Map<String, Long> retryIntervalOverrides = new ConcurrentHashMap<>();
    private final List<Consumer<LocalStepFunctions.ExecutionEnd>> endListeners = new CopyOnWriteArrayList<>();
    private volatile Duration expressLimit = EXPRESS_LIMIT;

    /** {@code machines}: the registered state machine of an ARN, or an {@link SfnApiException}. */
    SfnExecutions(ObjectMapper mapper, SfnOperations.Engine engine, EngineEvents engineEvents,
                  Function<String, LocalExecution.StateMachine> machines) {
        this.mapper = mapper;
        this.engine = engine;
        this.engineEvents = engineEvents;
        this.machines = machines;
    }

    void overrideWaitTimes(Map<String, Long> millisByStateName) {
        waitTimeOverrides.clear();
        waitTimeOverrides.putAll(millisByStateName);
    }

    void overrideRetryIntervals(Map<String, Long> millisByStateName) {
        retryIntervalOverrides.clear();
        retryIntervalOverrides.putAll(millisByStateName);
    }

    void overrideExpressLimit(Duration limit) {
        expressLimit = limit == null ? EXPRESS_LIMIT : limit;
    }

    void onExecutionEnd(Consumer<LocalStepFunctions.ExecutionEnd> listener) {
        endListeners.add(listener);
    }

    Collection<LocalExecution> all() {
        return executions.values();
    }

    LocalExecution get(String arn) {
        if (!arn.startsWith("arn:aws:states:")) {
            throw new SfnApiException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        LocalExecution execution = executions.get(arn);
        if (execution == null) {
            throw new SfnApiException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return execution;
    }

    // ------------------------------------------------------------------------------------------------- start

    /**
     * Starts an execution of {@code machine} ({@code name} null: a UUID) with {@code inputText}. A Standard name in
     * use: the running execution when its input is the same, else ExecutionAlreadyExists; Express names may repeat.
     */
    LocalExecution start(LocalExecution.StateMachine machine, String name, String inputText) {
        return start(machine, name, inputText, null, null);
    }

    private LocalExecution start(LocalExecution.StateMachine machine, String givenName, String inputText,
                                 LocalExecution parent, String requestId) {
        String name = givenName == null ? UUID.randomUUID().toString() : givenName;
        String problem = SfnOperations.nameProblem(name);
        if (problem != null) {
            throw new SfnApiException("InvalidName", problem);
        }
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
        String prefix = "arn:aws:states:" + LocalAws.REGION_ID + ":" + LocalAws.ACCOUNT_ID;
        String executionArn = machine.isExpress()
                ? prefix + ":express:" + machine.name() + ":" + name + ":" + UUID.randomUUID()
                : prefix + ":execution:" + machine.name() + ":" + name;
        LocalExecution created = new LocalExecution(executionArn, name, machine, inputText, Instant.now(),
                parent == null ? null : parent.arn, mapper, this::ended);
        LocalExecution existing = executions.putIfAbsent(executionArn, created);
        if (existing != null) {
            synchronized (existing) {
                if (existing.status.equals("RUNNING") && existing.input.equals(inputText)) {
                    return existing;
                }
            }
            throw new SfnApiException("ExecutionAlreadyExists", "Execution Already Exists: '" + executionArn + "'");
        }
        ObjectNode command = startCommand(created, input);
        if (requestId != null) {
            command.put("requestId", requestId);
        }
        try {
            engine.send(command);
        } catch (RuntimeException e) {
            synchronized (created) {
                created.finish("FAILED", Instant.now(), null, "States.Runtime", e.getMessage());
            }
            throw e;
        }
        return created;
    }

    private ObjectNode startCommand(LocalExecution execution, JsonNode input) {
        LocalExecution.StateMachine machine = execution.stateMachine;
        ObjectNode context = mapper.createObjectNode();
        ObjectNode executionContext = context.putObject("Execution");
        executionContext.put("Id", execution.arn).put("Name", execution.name)
                .put("StartTime", execution.startDate.toString()).put("RoleArn", SfnOperations.ROLE_ARN);
        executionContext.set("Input", input);
        context.putObject("StateMachine").put("Id", machine.arn()).put("Name", machine.name());
        ObjectNode command = mapper.createObjectNode().put("type", "start").put("executionId", execution.arn)
                .put("name", execution.name).put("definition", machine.definition());
        command.set("input", input);
        command.set("context", context);
        if (machine.isExpress()) {
            command.put("maxDurationMs", expressLimit.toMillis());
        }
        if (!waitTimeOverrides.isEmpty()) {
            command.set("waitTimeOverrides", mapper.valueToTree(Map.copyOf(waitTimeOverrides)));
        }
        if (!retryIntervalOverrides.isEmpty()) {
            command.set("retryIntervalOverrides", mapper.valueToTree(Map.copyOf(retryIntervalOverrides)));
        }
        return command;
    }

    /**
     * A parent's states:startExecution Task asks for a child. Under the parent's monitor, so a parent that ends
     * meanwhile either stops the child (it is registered) or refuses it (it is not running any more).
     */
    private void startChild(JsonNode message) {
        String requestId = message.path("requestId").asText();
        LocalExecution parent = executions.get(message.path("parentExecutionId").asText(""));
        try {
            if (parent == null) {
                throw new SfnApiException("ExecutionDoesNotExist", "no running parent execution");
            }
            LocalExecution.StateMachine machine = machines.apply(message.path("stateMachineArn").asText(""));
            String name = message.hasNonNull("name") ? message.get("name").asText() : null;
            String input = engineEvents.json(message.path("input"));
            synchronized (parent) {
                if (!parent.isRunning()) {
                    throw new SfnApiException("ExecutionDoesNotExist", "the parent execution has ended");
                }
                // a .sync child is managed by the parent's Task; a plain start's child lives on its own
                start(machine, name, input, message.path("managed").asBoolean(true) ? parent : null, requestId);
            }
        } catch (SfnApiException e) {
            String type = e.type().endsWith("Exception") ? e.type() : e.type() + "Exception";
            engine.send(mapper.createObjectNode().put("type", "childRefused").put("requestId", requestId)
                    .put("error", "StepFunctions." + type).put("cause", e.getMessage()));
        }
    }

    // ------------------------------------------------------------------------------------------------- stop, end

    /** StopExecution: marks the execution ABORTED at once and aborts its run; returns its stop date. */
    Instant stop(LocalExecution execution, String error, String cause) {
        boolean wasRunning;
        Instant stopDate;
        synchronized (execution) {
            wasRunning = execution.isRunning();
            if (wasRunning) {
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
            stopChildrenOf(execution);
        }
        return stopDate;
    }

    /**
     * Stops the running children of an execution that has ended. Called after the engine was told to stop the
     * parent (so the parent's Task, which sees its child fail, can no longer go on to a Catch), and outside the
     * parent's monitor; a child asked for meanwhile is refused ({@link #startChild}).
     */
    private void stopChildrenOf(LocalExecution parent) {
        for (LocalExecution child : executions.values()) {
            if (parent.arn.equals(child.parentArn) && child.isRunningNow()) {
                stop(child, null, "The parent execution " + parent.arn + " that was managing this execution ended "
                        + parent.statusNow());
            }
        }
    }

    /**
     * An execution has ended (its monitor held): a Standard execution's end is announced (EventBridge carries
     * status changes of Standard workflows only). Its children are stopped by the caller, once the monitor is free.
     */
    private void ended(LocalExecution execution) {
        if (execution.stateMachine.isExpress()) {
            return;
        }
        LocalStepFunctions.ExecutionEnd end = new LocalStepFunctions.ExecutionEnd(execution.arn,
                execution.stateMachine.arn(), execution.name, execution.status);
        for (Consumer<LocalStepFunctions.ExecutionEnd> listener : endListeners) {
            CompletableFuture.runAsync(() -> listener.accept(end));
        }
    }

    // ------------------------------------------------------------------------------------------------- engine

    /** A message of the runner: about one execution, or a nested execution's start or stop. */
    void onRunnerMessage(JsonNode message) {
        switch (message.path("type").asText()) {
            case "startChild" -> startChild(message);
            case "stopChild" -> {
                LocalExecution child = executions.get(message.path("executionId").asText(""));
                if (child != null) {
                    stop(child, text(message, "error"), text(message, "cause"));
                }
            }
            default -> {
                LocalExecution execution = executions.get(message.path("executionId").asText(""));
                if (execution == null) {
                    return;
                }
                boolean endedNow;
                synchronized (execution) {
                    endedNow = execution.isRunning();
                    if (endedNow) {
                        engineEvents.apply(execution, message);
                        endedNow = !execution.isRunning();
                    }
                    // else: stopped from here; the engine's late events are not part of the history
                }
                if (endedNow) {
                    stopChildrenOf(execution);
                }
            }
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

    private static String text(JsonNode message, String field) {
        return message.hasNonNull(field) ? message.get(field).asText() : null;
    }
}
