package io.scaflow.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The global interceptor records a call signed with a principal's key (action, resource ARN as IAM sees it, the
 * encryption context), and nothing for a call signed with another key. A stub HTTP server answers for AWS.
 */
class AwsCallInterceptorTest {

    private static final String KEY_ARN = "arn:aws:kms:eu-west-3:123456789012:key/0f1e2d3c-aaaa-bbbb-cccc-000000000001";

    @TempDir
    Path dir;

    @Test
    void recordsTheCallsOfAPrincipalOnly() throws Exception {
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] body = (target.startsWith("TrentService") ? "{\"KeyId\": \"" + KEY_ARN
                    + "\", \"CiphertextBlob\": \"AAAA\"}" : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        stub.start();
        Path file = dir.resolve("calls.jsonl");
        String previous = System.setProperty(AwsCallRecorder.PROPERTY, file.toString());
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
            String key = AwsCallRecorder.principal("d-test", "SomeFunction", "123456789012");
            try (DynamoDbClient mine = dynamoDb(endpoint, key); DynamoDbClient other = dynamoDb(endpoint, "testing");
                 KmsClient kms = KmsClient.builder().region(Region.EU_WEST_3).endpointOverride(endpoint)
                         .credentialsProvider(credentials(key)).httpClient(UrlConnectionHttpClient.create()).build()) {
                mine.getItem(b -> b.tableName("flows-a").key(Map.of("flowId", AttributeValue.fromS("f-1"))));
                other.getItem(b -> b.tableName("flows-b").key(Map.of("flowId", AttributeValue.fromS("f-1"))));
                kms.encrypt(b -> b.keyId("0f1e2d3c-aaaa-bbbb-cccc-000000000001")
                        .plaintext(SdkBytes.fromUtf8String("token"))
                        .encryptionContext(Map.of("attribute", "accessToken", "flowId", "f-1")));
            }
        } finally {
            stub.stop(0);
            if (previous == null) {
                System.clearProperty(AwsCallRecorder.PROPERTY);
            } else {
                System.setProperty(AwsCallRecorder.PROPERTY, previous);
            }
        }
        List<JsonNode> lines = Files.readAllLines(file).stream().map(AwsCallInterceptorTest::json).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).toString()).isEqualTo("{\"type\":\"call\",\"deployment\":\"d-test\","
                + "\"principal\":\"SomeFunction\",\"service\":\"dynamodb\",\"action\":\"dynamodb:GetItem\",\"resources\":"
                + "[\"arn:aws:dynamodb:eu-west-3:123456789012:table/flows-a\"],\"context\":{},\"outcome\":\"ok\"}");
        assertThat(lines.get(1).path("action").asText()).isEqualTo("kms:Encrypt");
        assertThat(lines.get(1).path("resources").get(0).asText()).isEqualTo(KEY_ARN);
        assertThat(lines.get(1).path("context").toString()).isEqualTo("{\"kms:CallerAccount\":\"123456789012\","
                + "\"kms:EncryptionContext:attribute\":\"accessToken\",\"kms:EncryptionContext:flowId\":\"f-1\"}");
        assertThat(Files.readString(file)).doesNotContain("\"token\"", "flows-b");
    }

    private static DynamoDbClient dynamoDb(URI endpoint, String key) {
        return DynamoDbClient.builder().region(Region.EU_WEST_3).endpointOverride(endpoint)
                .credentialsProvider(credentials(key)).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static StaticCredentialsProvider credentials(String key) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(key, "secret"));
    }

    private static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
