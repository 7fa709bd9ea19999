package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.store.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every flow error code the code can store is in the OpenAPI document's enum and in docs/api.md, and no other. */
class ApiErrorCodesDocumentedTest {

    private static final List<String> CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList();

    @Test
    void theOpenApiEnumIsTheErrorCodes() throws IOException {
        JsonNode openapi = new ObjectMapper(new YAMLFactory())
                .readTree(RepoRoot.find().resolve("openapi/scaflow-api.yaml").toFile());
        List<String> documented = new ArrayList<>();
        openapi.at("/components/schemas/ErrorCode/enum").forEach(code -> documented.add(code.asText()));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(CODES);
        assertThat(openapi.at("/components/schemas/Flow/properties/error/properties/code/$ref").asText())
                .isEqualTo("#/components/schemas/ErrorCode");
    }

    @Test
    void docsApiListsEveryErrorCode() throws IOException {
        String api = Files.readString(RepoRoot.find().resolve("docs/api.md"));
        String table = api.substring(api.indexOf("## Flow error codes"));

        assertThat(CODES).allSatisfy(code -> assertThat(table).contains("`" + code + "`"));
    }
}
