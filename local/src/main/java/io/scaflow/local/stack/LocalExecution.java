package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One execution of the local Step Functions service: its identity, status, result and history events (AWS's shape).
 * Guarded by its own monitor: callers synchronize on it around reads and changes.
 */
final class LocalExecution {

    /** A state machine registered with the service; {@code type} STANDARD or EXPRESS. */
    record StateMachine(String arn, String name, String definition, String type, Instant created) {

        boolean isExpress() {
            return "EXPRESS".equals(type);
        }
    }

    private static final AtomicLong SEQUENCE = new AtomicLong();

    final String arn;
    final String name;
    final StateMachine stateMachine;
    final String input;
    final Instant startDate;
    /** The execution whose states:startExecution Task started this one; null for one started through the API. */
    final String parentArn;
    final long sequence = SEQUENCE.incrementAndGet();
    final List<ObjectNode> events = new ArrayList<>();
    String status = "RUNNING";
    Instant stopDate;
    String output;
    String error;
    String cause;

    private final ObjectMapper mapper;
    private final Consumer<LocalExecution> onEnd;

    LocalExecution(String arn, String name, StateMachine stateMachine, String input, Instant startDate,
                   String parentArn, ObjectMapper mapper, Consumer<LocalExecution> onEnd) {
        this.arn = arn;
        this.name = name;
        this.stateMachine = stateMachine;
        this.input = input;
        this.startDate = startDate;
        this.parentArn = parentArn;
        this.mapper = mapper;
        this.onEnd = onEnd;
    }

    boolean isRunning() {
        return status.equals("RUNNING");
    }

    /** {@link #isRunning()} read under this execution's monitor (for a caller that does not hold it). */
    synchronized boolean isRunningNow() {
        return isRunning();
    }

    synchronized String statusNow() {
        return status;
    }

    /** Appends a history event ({@code id}, {@code previousEventId}, {@code timestamp}, {@code type}, details). */
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

    void addFailedEvent(Instant at, String failedError, String failedCause) {
        addEvent("ExecutionFailed", at, "executionFailedEventDetails",
                mapper.createObjectNode().put("error", failedError).put("cause", failedCause));
    }

    /**
     * Ends the execution and tells the service (which stops its running children and, for a Standard execution,
     * tells the listeners as EventBridge's status change event would). Called holding this execution's monitor.
     */
    void finish(String finalStatus, Instant at, String finalOutput, String finalError, String finalCause) {
        status = finalStatus;
        stopDate = at;
        output = finalOutput;
        error = finalError;
        cause = finalCause;
        onEnd.accept(this);
    }

    /** DescribeExecution's answer. */
    ObjectNode describe() {
        ObjectNode answer = mapper.createObjectNode()
                .put("executionArn", arn)
                .put("stateMachineArn", stateMachine.arn())
                .put("name", name)
                .put("status", status)
                .put("startDate", epochSeconds(startDate))
                .put("input", input);
        answer.putObject("inputDetails").put("included", true);
        if (stopDate != null) {
            answer.put("stopDate", epochSeconds(stopDate));
        }
        if (output != null) {
            answer.put("output", output);
            answer.putObject("outputDetails").put("included", true);
        }
        if (error != null) {
            answer.put("error", error);
        }
        if (cause != null) {
            answer.put("cause", cause);
        }
        return answer;
    }

    /** A GetExecutionHistory page: events from {@code offset}, at most {@code max}, {@code nextToken} if more. */
    ObjectNode historyPage(int offset, int max, boolean reverse, boolean includeData) {
        List<ObjectNode> ordered = new ArrayList<>(events);
        if (reverse) {
            Collections.reverse(ordered);
        }
        ArrayNode page = mapper.createArrayNode();
        int end = Math.min(ordered.size(), offset + max);
        for (int i = offset; i < end; i++) {
            ObjectNode event = ordered.get(i).deepCopy();
            if (!includeData) {
                event.properties().forEach(field -> {
                    if (field.getValue() instanceof ObjectNode details) {
                        details.remove(List.of("input", "output"));
                    }
                });
            }
            page.add(event);
        }
        ObjectNode answer = mapper.createObjectNode();
        answer.set("events", page);
        if (end < ordered.size()) {
            answer.put("nextToken", Integer.toString(end));
        }
        return answer;
    }

    /** AWS JSON timestamps: epoch seconds with a fraction. */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }
}
