package io.scaflow.local.tooling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.stack.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/deploy.md keeps up with template.yaml: it names (in backticks) every parameter, every output and every
 * function, so a deployer meets each one before `sam deploy --guided` asks for it. A new one fails this test until
 * the guide says what it is.
 */
class DeployGuideTest {

    private static final Path ROOT = RepoRoot.find();

    @Test
    void theGuideNamesEveryParameterOutputAndFunctionOfTheTemplate() throws IOException {
        JsonNode template = SamTemplate.read(ROOT.resolve("template.yaml")).root();
        String guide = Files.readString(ROOT.resolve("docs/deploy.md"));
        List<String> names = new ArrayList<>();
        template.path("Parameters").fieldNames().forEachRemaining(names::add);
        template.path("Outputs").fieldNames().forEachRemaining(names::add);
        template.path("Resources").properties().forEach(resource -> {
            if (resource.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                names.add(resource.getKey());
            }
        });

        assertThat(names).hasSizeGreaterThan(30);
        assertThat(names.stream().filter(name -> !guide.contains("`" + name + "`")).toList())
                .as("named in template.yaml, not in docs/deploy.md").isEmpty();
    }

    @Test
    void theGuideBuildsWithTheMakefileNotASystemMaven() throws IOException {
        for (String doc : List.of("docs/deploy.md", "README.md")) {
            String text = Files.readString(ROOT.resolve(doc));
            assertThat(text.lines().filter(line -> line.matches("\\s*(\\.venv/bin/)?sam build.*")).toList())
                    .as(doc + ": a bare `sam build` line fails without a system Maven; use make sam-build").isEmpty();
            assertThat(text).as(doc).contains("make sam-build");
        }
    }
}
