package io.scaflow.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.scaflow.testing.Repository;
import io.scaflow.testing.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * template.yaml against the code and the definitions: every Handler is a class Lambda can build and call, and
 * every placeholder of every state machine definition has its DefinitionSubstitutions entry, naming a resource of
 * the template.
 */
@EnabledIf(Repository.PRESENT)
class TemplateContractTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final SamTemplate TEMPLATE = SamTemplate.read();

    static Stream<Arguments> handlers() {
        return TEMPLATE.handlers().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static Stream<Arguments> stateMachines() {
        return TEMPLATE.stateMachines().stream().map(machine -> Arguments.of(machine.logicalId(), machine));
    }

    @Test
    void theTemplateHasFunctionsAndStateMachines() {
        assertThat(TEMPLATE.handlers()).isNotEmpty();
        assertThat(TEMPLATE.stateMachines()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("handlers")
    void everyHandlerIsAStreamHandlerLambdaCanBuildAndCall(String function, String handler) throws Exception {
        assertThat(handler).as(function).matches("[a-zA-Z_][\\w.]*::\\w+");
        String[] parts = handler.split("::");
        Class<?> type = Class.forName(parts[0], false, getClass().getClassLoader());

        assertThat(Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers())).as(handler).isTrue();
        assertThat(type.getConstructor()).as("a public no-argument constructor").isNotNull();
        Method method = type.getMethod(parts[1], InputStream.class, OutputStream.class, Context.class);
        assertThat(method.getDeclaringClass()).isNotEqualTo(Object.class);
        assertThat(RequestStreamHandler.class).as(handler).isAssignableFrom(type);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateMachines")
    void everyPlaceholderOfADefinitionHasASubstitutionNamingAResource(String logicalId, SamTemplate.StateMachine machine) {
        assertThat(machine.definitionUri()).as(logicalId + " DefinitionUri").isNotNull();
        Set<String> placeholders = placeholders(Repository.file(machine.definitionUri()));

        assertThat(machine.substitutions().keySet()).as(logicalId + "'s DefinitionSubstitutions").containsAll(placeholders);
        for (String placeholder : placeholders) {
            String resource = machine.substitutions().get(placeholder).split("\\.")[0];
            assertThat(TEMPLATE.resources()).as(placeholder + " names a resource of the template").contains(resource);
        }
    }

    @Test
    void everyDefinitionFileIsTheDefinitionOfAStateMachine() throws IOException {
        List<String> deployed = TEMPLATE.stateMachines().stream().map(SamTemplate.StateMachine::definitionUri).toList();
        try (Stream<Path> files = Files.list(Repository.file("statemachine"))) {
            assertThat(files.map(file -> "statemachine/" + file.getFileName()).filter(name -> name.endsWith(".asl.json")))
                    .isNotEmpty()
                    .allSatisfy(name -> assertThat(deployed).contains(name));
        }
    }

    static Set<String> placeholders(Path definition) {
        try {
            Set<String> names = new TreeSet<>();
            Matcher matcher = PLACEHOLDER.matcher(Files.readString(definition));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
