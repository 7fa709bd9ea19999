package io.scaflow.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The second floor of the cold starts: the least a handler of the flow table can do with the libraries scaflow
 * ships. Its constructor builds a DynamoDB client as the SDK's own documentation advises for Lambda (region and
 * credentials from the environment, the URL-connection HTTP client); each invocation reads its event with a plain
 * Jackson ObjectMapper, makes one GetItem on {@code TABLE_NAME} and writes a one-field answer. No project code, no
 * priming. Run by {@link ColdStartProbe} on RecordFailureFunction's {@code sam build} output, so what it loads comes
 * from the same jars; what a real handler costs beyond it is scaflow's own start.
 */
public final class SdkFloorHandler implements RequestStreamHandler {

    private final ObjectMapper mapper = new ObjectMapper();
    private final DynamoDbClient dynamo;
    private final String table = System.getenv("TABLE_NAME");

    public SdkFloorHandler() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create());
        String endpoint = System.getenv("AWS_ENDPOINT_URL_DYNAMODB") != null
                ? System.getenv("AWS_ENDPOINT_URL_DYNAMODB") : System.getenv("AWS_ENDPOINT_URL");
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        dynamo = builder.build();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = mapper.readTree(input);
        GetItemResponse item = dynamo.getItem(get -> get.tableName(table)
                .key(Map.of("flowId", AttributeValue.fromS(event.path("flowId").asText("none")))));
        mapper.writeValue(output, Map.of("found", item.hasItem()));
    }
}
