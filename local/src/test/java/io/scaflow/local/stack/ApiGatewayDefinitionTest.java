package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.local.emulator.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The definition API Gateway imports (template.yaml's {@code AWS::Include}) is the OpenAPI document for clients
 * without the keywords API Gateway's REST importer does not support, which it would drop with warnings nobody sees:
 * {@code make openapi} writes it (tools/openapi-for-apigateway.py), and this test fails when it was not rerun.
 */
class ApiGatewayDefinitionTest {

    private static final Set<String> UNSUPPORTED = Set.of("example", "examples", "exclusiveMinimum",
            "exclusiveMaximum", "discriminator", "readOnly", "writeOnly");
    private static final Path ROOT = RepoRoot.find();

    @Test
    void theTemplateIncludesTheDefinitionForApiGateway() throws IOException {
        JsonNode template = TemplateYaml.parse(Files.readString(ROOT.resolve("template.yaml")));

        assertThat(template.at("/Resources/ScaflowApi/Properties/DefinitionBody/Fn::Transform/Parameters/Location")
                .asText()).isEqualTo("openapi/scaflow-api.apigateway.yaml");
    }

    @Test
    void theDefinitionHasNoKeywordTheImporterDoesNotSupport() throws IOException {
        List<String> found = new ArrayList<>();
        unsupported(definition(), "", false, found);

        assertThat(found).isEmpty();
        List<String> inTheDocument = new ArrayList<>();
        unsupported(document(), "", false, inTheDocument);
        assertThat(inTheDocument).as("the client document keeps its examples").isNotEmpty();
    }

    @Test
    void theDefinitionIsTheClientDocumentWithoutThem() throws IOException {
        JsonNode expected = document().deepCopy();
        strip(expected, false);

        assertThat(definition()).as("openapi/scaflow-api.apigateway.yaml is out of date: run make openapi")
                .isEqualTo(expected);
    }

    private static JsonNode document() throws IOException {
        return TemplateYaml.parse(Files.readString(ROOT.resolve("openapi/scaflow-api.yaml")));
    }

    private static JsonNode definition() throws IOException {
        return TemplateYaml.parse(Files.readString(ROOT.resolve("openapi/scaflow-api.apigateway.yaml")));
    }

    /** Where an unsupported keyword is a key (the names in a {@code properties} map are data, not keywords). */
    private static void unsupported(JsonNode node, String at, boolean namesAreData, List<String> found) {
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (!namesAreData && UNSUPPORTED.contains(entry.getKey())) {
                    found.add(at + "/" + entry.getKey());
                }
                unsupported(entry.getValue(), at + "/" + entry.getKey(),
                        !namesAreData && entry.getKey().equals("properties"), found);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                unsupported(node.get(i), at + "/" + i, false, found);
            }
        }
    }

    private static void strip(JsonNode node, boolean namesAreData) {
        if (node.isObject()) {
            if (!namesAreData) {
                ((ObjectNode) node).remove(UNSUPPORTED);
            }
            node.properties().forEach(entry -> strip(entry.getValue(),
                    !namesAreData && entry.getKey().equals("properties")));
        } else if (node.isArray()) {
            node.forEach(item -> strip(item, false));
        }
    }
}
