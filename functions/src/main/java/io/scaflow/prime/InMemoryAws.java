package io.scaflow.prime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of DynamoDB, KMS, Secrets Manager and Step Functions, in memory (behind the {@link LoopbackServer}), for a handler's first-invocation
 * path to run during priming: items are kept as PutItem sent them, UpdateItem applies only the status it sets and
 * answers the item (ALL_NEW); KMS's "ciphertext" is the plaintext (nothing here is a real token); a secret is a
 * fixed priming value, never a real one; an execution start answers an ARN.
 */
public final class InMemoryAws {

    /** The fixed client credentials every priming secret read answers (fake: Shine never sees them). */
    public static final String PRIMING_SECRET = "{\"clientId\":\"scaflow-priming\",\"clientSecret\":\"priming-only\"}";
    private static final Pattern STATUS_SET = Pattern.compile("#status = (:v\\d+)");

    private final Map<String, ObjectNode> items = new ConcurrentHashMap<>();

    /** The answer to one AWS JSON call, e.g. {@code DynamoDB_20120810.GetItem} with its request body. */
    public ObjectNode answer(String target, JsonNode request) {
        String operation = target.substring(target.indexOf('.') + 1);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        switch (operation) {
            case "PutItem" -> items.put(key(request), request.path("Item").deepCopy());
            case "GetItem" -> {
                ObjectNode item = items.get(key(request));
                if (item != null) {
                    answer.set("Item", item.deepCopy());
                }
            }
            case "UpdateItem" -> answer.set("Attributes", update(request));
            case "Encrypt" -> answer.put("CiphertextBlob", request.path("Plaintext").asText())
                    .put("KeyId", request.path("KeyId").asText());
            case "Decrypt" -> answer.put("Plaintext", request.path("CiphertextBlob").asText())
                    .put("KeyId", request.path("KeyId").asText());
            case "GetSecretValue" -> answer.put("Name", request.path("SecretId").asText())
                    .put("ARN", "arn:aws:secretsmanager:eu-west-3:000000000000:secret:priming")
                    .put("SecretString", PRIMING_SECRET);
            case "StartExecution" -> answer.put("executionArn", "arn:aws:states:eu-west-3:000000000000:execution:"
                    + "priming:" + request.path("name").asText()).put("startDate", 0);
            case "StopExecution" -> answer.put("stopDate", 0);
            default -> throw new IllegalArgumentException("priming does not answer " + target);
        }
        return answer;
    }

    private ObjectNode update(JsonNode request) {
        String key = key(request);
        ObjectNode item = items.computeIfAbsent(key, k -> Json.MAPPER.createObjectNode());
        Matcher status = STATUS_SET.matcher(request.path("UpdateExpression").asText());
        if (status.find()) {
            JsonNode value = request.path("ExpressionAttributeValues").path(status.group(1));
            if (!value.isMissingNode()) {
                item.set("status", value.deepCopy());
            }
        }
        return item.deepCopy();
    }

    private static String key(JsonNode request) {
        StringBuilder key = new StringBuilder(request.path("TableName").asText()).append('|');
        JsonNode source = request.has("Key") ? request.get("Key") : request.path("Item");
        JsonNode flowId = source.path("flowId");
        if (!flowId.isMissingNode()) {
            return key.append(flowId).toString();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            key.append(field.getKey()).append('=').append(field.getValue());
        }
        return key.toString();
    }
}
