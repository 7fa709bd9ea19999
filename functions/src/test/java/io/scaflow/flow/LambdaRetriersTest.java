package io.scaflow.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.testing.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Every Task that invokes one of the template's functions retries the errors Lambda itself returns when the function
 * never ran or its answer never came back: the service's transient errors, throttling, the Step Functions client's
 * own timeout, and {@code SnapStartNotReadyException} (a SnapStart version not invoked for 14 days, whose snapshot is
 * being restored). The function did not run in the last case, and ExecuteAction's conditional write makes a duplicate
 * invocation send nothing in the others, so the rule holds for every Task.
 */
@EnabledIf(Repository.PRESENT)
class LambdaRetriersTest {

    static final List<String> TRANSIENT_LAMBDA_ERRORS = List.of(
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException",
            "Lambda.ClientExecutionTimeoutException",
            "Lambda.SnapStartNotReadyException");

    @Test
    void everyTaskRunningAFunctionRetriesLambdasTransientErrors() throws IOException {
        Map<String, List<String>> retriedByTask = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Repository.file("statemachine"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".asl.json")).sorted().toList()) {
                collect(file.getFileName() + ":", Json.MAPPER.readTree(file.toFile()), retriedByTask);
            }
        }

        assertThat(retriedByTask).hasSizeGreaterThanOrEqualTo(4);
        retriedByTask.forEach((task, retried) ->
                assertThat(retried).as(task + "'s Retry").containsAll(TRANSIENT_LAMBDA_ERRORS));
    }

    /** The Tasks whose Resource (or FunctionName) is a substituted function, with the errors their Retry lists. */
    private static void collect(String where, JsonNode node, Map<String, List<String>> into) {
        node.path("States").properties().forEach(state -> {
            JsonNode body = state.getValue();
            boolean runsFunction = body.path("Type").asText().equals("Task")
                    && Stream.of(body.path("Resource"), body.path("Parameters").path("FunctionName"))
                    .map(JsonNode::asText).anyMatch(text -> text.startsWith("${") && text.contains("Function"));
            if (runsFunction) {
                List<String> retried = new ArrayList<>();
                body.path("Retry").forEach(rule -> rule.path("ErrorEquals").forEach(e -> retried.add(e.asText())));
                into.put(where + state.getKey(), retried);
            }
        });
        // nested machines (Parallel branches, Map item processors)
        node.forEach(child -> {
            if (child.isContainerNode()) {
                collect(where, child, into);
            }
        });
    }
}
