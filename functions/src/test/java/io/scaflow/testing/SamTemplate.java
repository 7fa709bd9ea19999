package io.scaflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parts of template.yaml the contract tests check: functions and their handlers, state machines with their
 * definition files and substitutions. CloudFormation's short tags ({@code !Ref X}) read as their argument's text
 * ({@code X}), which is all these checks need.
 */
public final class SamTemplate {

    /** A state machine resource: its definition file (relative to the root) and DefinitionSubstitutions. */
    public record StateMachine(String logicalId, String definitionUri, Map<String, String> substitutions) {
    }

    private final JsonNode root;

    private SamTemplate(JsonNode root) {
        this.root = root;
    }

    public static SamTemplate read() {
        try {
            return new SamTemplate(new ObjectMapper(new YAMLFactory()).readTree(Repository.read("template.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Set<String> resources() {
        Set<String> names = new TreeSet<>();
        root.path("Resources").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Function logical id → its Handler (or the Globals' one). */
    public Map<String, String> handlers() {
        Map<String, String> handlers = new LinkedHashMap<>();
        String global = root.path("Globals").path("Function").path("Handler").asText(null);
        root.path("Resources").properties().forEach(resource -> {
            if (resource.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                handlers.put(resource.getKey(), resource.getValue().path("Properties").path("Handler").asText(global));
            }
        });
        return handlers;
    }

    public List<StateMachine> stateMachines() {
        return root.path("Resources").properties().stream()
                .filter(resource -> resource.getValue().path("Type").asText().equals("AWS::Serverless::StateMachine"))
                .map(resource -> {
                    JsonNode properties = resource.getValue().path("Properties");
                    Map<String, String> substitutions = new LinkedHashMap<>();
                    properties.path("DefinitionSubstitutions").properties()
                            .forEach(entry -> substitutions.put(entry.getKey(), entry.getValue().asText()));
                    return new StateMachine(resource.getKey(), properties.path("DefinitionUri").asText(null), substitutions);
                })
                .toList();
    }

    /**
     * The function a substitution names ({@code !Ref XFunction.Alias}, {@code !Ref XFunction},
     * {@code !GetAtt XFunction.Arn}), if it names one.
     */
    public Optional<String> functionOf(String substitution) {
        String resource = substitution == null ? "" : substitution.split("\\.")[0];
        return handlers().containsKey(resource) ? Optional.of(resource) : Optional.empty();
    }
}
