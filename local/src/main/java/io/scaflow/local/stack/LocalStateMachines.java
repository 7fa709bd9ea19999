package io.scaflow.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers the template's state machines on a {@link LocalStepFunctions}, as CloudFormation would create them: each
 * under its logical id, of its {@code Type}, after the state machines it references, its
 * {@code DefinitionSubstitutions} resolved through the functions' references ({@code !Ref X.Alias}, ...) and those
 * already registered ({@code !Ref Child} and {@code !GetAtt Child.Arn}: the child's ARN, {@code Child.Name}: its name).
 */
public final class LocalStateMachines {

    private final Map<String, String> arns;
    private final String root;

    private LocalStateMachines(Map<String, String> arns, String root) {
        this.arns = arns;
        this.root = root;
    }

    /** {@code functionReferences}: {@link LocalLambdaServiceBuilder#functionReferences()}. */
    public static LocalStateMachines register(SamTemplate template, LocalStepFunctions stepFunctions,
                                              Map<String, String> functionReferences) {
        Map<String, String> references = new HashMap<>(functionReferences);
        Map<String, String> arns = new LinkedHashMap<>();
        for (SamTemplate.StateMachine machine : template.stateMachines()) {
            Map<String, String> substitutions = new LinkedHashMap<>();
            machine.substitutionValues().forEach((name, value) -> {
                try {
                    substitutions.put(name, SamTemplate.resolve(value, references));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("definition substitution " + name + " of "
                            + machine.logicalId() + ": " + e.getMessage(), e);
                }
            });
            String definition = DefinitionSubstitutions.apply(read(template, machine), substitutions);
            String arn = stepFunctions.registerStateMachine(machine.logicalId(), definition,
                    LocalStepFunctions.Type.valueOf(machine.type()));
            arns.put(machine.logicalId(), arn);
            references.put(machine.logicalId(), arn);
            references.put(machine.logicalId() + ".Arn", arn);
            references.put(machine.logicalId() + ".Name", machine.logicalId());
        }
        return new LocalStateMachines(Collections.unmodifiableMap(arns), template.rootStateMachine().logicalId());
    }

    /** Logical id -> ARN, in registration order. */
    public Map<String, String> arns() {
        return arns;
    }

    /** The ARN of the state machine no other references: the flow's parent. */
    public String rootArn() {
        return arns.get(root);
    }

    /** What the functions' environments may reference: each state machine's logical id and {@code Id.Name}. */
    public Map<String, String> references() {
        Map<String, String> refs = new LinkedHashMap<>();
        arns.forEach((id, arn) -> {
            refs.put(id, arn);
            refs.put(id + ".Arn", arn);
            refs.put(id + ".Name", id);
        });
        return refs;
    }

    private static String read(SamTemplate template, SamTemplate.StateMachine machine) {
        try {
            return Files.readString(template.definitionFile(machine));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
