package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The local stand-in for EventBridge rules on Step Functions' "Execution Status Change" events: the template's
 * functions with an {@code EventBridgeRule} event whose pattern has {@code source: aws.states} get the event,
 * through the local Lambda service, when an execution ends in one of the pattern's statuses.
 */
final class ExecutionStatusEvents {

    private record Rule(String function, Set<String> statuses) {
    }

    private final List<Rule> rules;
    private final URI lambdaEndpoint;
    private final String region;
    private final HttpClient http = HttpClient.newHttpClient();

    private ExecutionStatusEvents(List<Rule> rules, URI lambdaEndpoint, String region) {
        this.rules = rules;
        this.lambdaEndpoint = lambdaEndpoint;
        this.region = region;
    }

    /** Delivers the template's rules for the executions of {@code stepFunctions}. */
    static void wire(SamTemplate template, LocalStepFunctions stepFunctions, URI lambdaEndpoint, String region) {
        List<Rule> rules = rulesOf(template.root());
        if (!rules.isEmpty()) {
            stepFunctions.onExecutionEnd(new ExecutionStatusEvents(rules, lambdaEndpoint, region)::deliver);
        }
    }

    private void deliver(LocalStepFunctions.ExecutionEnd end) {
        for (Rule rule : rules) {
            if (rule.statuses().isEmpty() || rule.statuses().contains(end.status())) {
                invoke(rule.function(), event(end));
            }
        }
    }

    private ObjectNode event(LocalStepFunctions.ExecutionEnd end) {
        ObjectNode event = Json.MAPPER.createObjectNode()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", "Step Functions Execution Status Change")
                .put("source", "aws.states")
                .put("time", Instant.now().toString())
                .put("region", region);
        event.putArray("resources").add(end.executionArn());
        event.putObject("detail")
                .put("executionArn", end.executionArn())
                .put("stateMachineArn", end.stateMachineArn())
                .put("name", end.name())
                .put("status", end.status());
        return event;
    }

    private void invoke(String function, ObjectNode event) {
        URI uri = lambdaEndpoint.resolve("/2015-03-31/functions/" + URLEncoder.encode(function, StandardCharsets.UTF_8)
                + "/invocations");
        try {
            http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(event.toString())).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // EventBridge retries; locally a stopped stack simply drops the event.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Rule> rulesOf(JsonNode root) {
        List<Rule> rules = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> resources = root.path("Resources").fields(); resources.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = resources.next();
            if (!"AWS::Serverless::Function".equals(resource.getValue().path("Type").asText())) {
                continue;
            }
            for (JsonNode event : resource.getValue().path("Properties").path("Events")) {
                JsonNode pattern = event.path("Properties").path("Pattern");
                if ("EventBridgeRule".equals(event.path("Type").asText()) && contains(pattern.path("source"), "aws.states")) {
                    Set<String> statuses = new TreeSet<>();
                    pattern.path("detail").path("status").forEach(s -> statuses.add(s.asText()));
                    rules.add(new Rule(resource.getKey(), statuses));
                }
            }
        }
        return rules;
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode item : list) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }
}
