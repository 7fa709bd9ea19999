package io.scaflow.prime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The HTTP client of the priming AWS clients: every request is answered in memory by {@link InMemoryAws}; no
 * socket is ever opened. The SDK still marshals, signs (with the priming credentials) and unmarshals each call,
 * which is what priming is for. Records the operations it answered ({@code X-Amz-Target}).
 */
public final class InMemoryAwsHttp implements SdkHttpClient {

    private final InMemoryAws aws;
    private final List<String> operations = new CopyOnWriteArrayList<>();

    public InMemoryAwsHttp(InMemoryAws aws) {
        this.aws = aws;
    }

    /** The operations answered so far, e.g. {@code DynamoDB_20120810.GetItem}. */
    public List<String> operations() {
        return List.copyOf(operations);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                JsonNode body;
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        body = Json.MAPPER.readTree(in);
                    }
                } else {
                    body = Json.MAPPER.createObjectNode();
                }
                operations.add(target);
                ObjectNode answer = aws.answer(target, body == null ? Json.MAPPER.createObjectNode() : body);
                byte[] bytes = Json.MAPPER.writeValueAsBytes(answer);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("Content-Length", Integer.toString(bytes.length))
                                .putHeader("x-amzn-RequestId", "priming")
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }

    @Override
    public String clientName() {
        return "InMemoryPriming";
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
