package io.scaflow.local.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A REST proxy handler for {@link LocalApiGatewayTest}: answers the event it got as its body (200), or, by the
 * event's {@code x-mode} header, throws ({@code fail}), answers something that is not a proxy response
 * ({@code garbage}), answers 201 with multi-value headers ({@code multi}) or a base64 body ({@code binary}), or
 * sleeps {@code X-Sleep-Ms} milliseconds before its default answer.
 */
public final class ProxyTestHandler {

    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(in);
        String mode = event.path("headers").path("X-Mode").asText("");
        ObjectNode answer = Json.MAPPER.createObjectNode();
        long sleepMs = event.path("headers").path("X-Sleep-Ms").asLong(0);
        if (sleepMs > 0) {
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
        switch (mode) {
            case "fail" -> throw new IllegalStateException("handler failure");
            case "garbage" -> {
                out.write("[1, 2]".getBytes(StandardCharsets.UTF_8));
                return;
            }
            case "multi" -> {
                answer.put("statusCode", 201);
                answer.putObject("headers").put("Location", "/v1/things/1");
                answer.putObject("multiValueHeaders").putArray("X-Many").add("a").add("b");
                answer.put("body", "{}");
            }
            case "binary" -> {
                answer.put("statusCode", 200);
                answer.putObject("headers").put("Content-Type", "application/octet-stream");
                answer.put("body", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
                answer.put("isBase64Encoded", true);
            }
            default -> {
                answer.put("statusCode", 200);
                answer.putObject("headers").put("Content-Type", "application/json");
                answer.put("body", Json.MAPPER.writeValueAsString(event));
            }
        }
        Json.MAPPER.writeValue(out, answer);
    }
}
