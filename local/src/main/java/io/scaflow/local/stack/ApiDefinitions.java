package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The definitions of a template's {@code AWS::Serverless::Api}s: an inline {@code DefinitionBody}, or the file of an
 * {@code AWS::Include} transform ({@code Location} relative to the template's folder, as {@code sam} resolves it from
 * the project root).
 */
final class ApiDefinitions {

    private ApiDefinitions() {
    }

    /** Each API's gateway responses by logical id (API Gateway's defaults for an API without a definition). */
    static Map<String, GatewayResponses> gatewayResponses(SamTemplate template) {
        Map<String, GatewayResponses> responses = new LinkedHashMap<>();
        template.root().path("Resources").properties().forEach(resource -> {
            if ("AWS::Serverless::Api".equals(resource.getValue().path("Type").asText())) {
                JsonNode definition = definition(template, resource.getKey(), resource.getValue());
                responses.put(resource.getKey(), definition == null ? GatewayResponses.defaults()
                        : GatewayResponses.from(definition));
            }
        });
        return responses;
    }

    private static JsonNode definition(SamTemplate template, String logicalId, JsonNode api) {
        JsonNode body = api.path("Properties").get("DefinitionBody");
        if (body == null || body.isNull()) {
            return null;
        }
        JsonNode transform = body.get("Fn::Transform");
        if (transform == null) {
            return body;
        }
        if (!"AWS::Include".equals(transform.path("Name").asText())) {
            throw new IllegalStateException("DefinitionBody of " + logicalId + ": only AWS::Include is emulated");
        }
        String location = transform.path("Parameters").path("Location").asText(null);
        if (location == null || location.startsWith("s3://")) {
            throw new IllegalStateException("DefinitionBody of " + logicalId + ": a local Location is needed, not "
                    + location);
        }
        Path base = template.location().map(Path::getParent).orElse(Path.of(""));
        Path file = base.resolve(location);
        try {
            return TemplateYaml.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the definition of " + logicalId + " (" + file + ")", e);
        }
    }
}
