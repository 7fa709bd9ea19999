package io.scaflow.local.tooling;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.stack.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code sam build} output (make test runs {@code make check}, which builds it, before the tests): every function
 * is built by functions/Makefile and ships only the AWS SDK service clients its code builds (docs/tooling.md,
 * "Packages"). A client added to the pom lands in every package until functions/Makefile says whose it is; this test
 * names it. That each package holds every class its function loads is RuntimeClientEventsTest's part (each function's
 * events/ file through the runtime client from its own package).
 */
class FunctionPackagesTest {

    private static final Path ROOT = RepoRoot.find();
    private static final Map<String, Set<String>> CLIENTS = Map.of(
            "ApiFunction", Set.of("dynamodb", "kms", "sfn"),
            "CreateActionRequestFunction", Set.of("dynamodb", "kms", "secretsmanager"),
            "PollActionRequestFunction", Set.of("dynamodb", "kms", "secretsmanager"),
            "ExecuteActionFunction", Set.of("dynamodb", "kms", "secretsmanager"),
            "RecordFailureFunction", Set.of("dynamodb"),
            "ExecutionEndedFunction", Set.of("dynamodb"),
            "PublishStatusEventsFunction", Set.of("eventbridge"));
    private static final List<String> SERVICE_CLIENTS = List.of("dynamodb", "kms", "secretsmanager", "sfn",
            "eventbridge");

    @Test
    void everyFunctionShipsOnlyTheServiceClientsItBuilds() throws IOException {
        Set<String> functions = new TreeSet<>();
        SamTemplate.read(ROOT.resolve("template.yaml")).root().path("Resources").properties().forEach(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                functions.add(r.getKey());
                assertThat(r.getValue().path("Metadata").path("BuildMethod").asText())
                        .as(r.getKey() + " is built by functions/Makefile").isEqualTo("makefile");
            }
        });
        assertThat(functions).as("every function of the template has its clients listed here")
                .isEqualTo(new TreeSet<>(CLIENTS.keySet()));
        for (String function : functions) {
            Path lib = ROOT.resolve(".aws-sam/build").resolve(function).resolve("lib");
            assertThat(lib).as("sam build output of " + function + " (make sam-build)").isDirectory();
            Set<String> shipped = new TreeSet<>();
            try (Stream<Path> jars = Files.list(lib)) {
                jars.map(p -> p.getFileName().toString()).forEach(name -> SERVICE_CLIENTS.stream()
                        .filter(id -> name.matches("software\\.amazon\\.awssdk\\." + id + "-[0-9].*\\.jar"))
                        .forEach(shipped::add));
            }
            assertThat(shipped).as(function + "'s SDK service clients").isEqualTo(new TreeSet<>(CLIENTS.get(function)));
        }
    }
}
