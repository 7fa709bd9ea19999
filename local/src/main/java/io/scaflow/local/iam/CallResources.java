package io.scaflow.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/**
 * The resources one AWS call acts on, as IAM evaluates it (the ARN a policy's {@code Resource} is matched against),
 * and the request's condition keys, read from the SDK's request and answer by their model field names:
 *
 * <ul>
 *   <li>dynamodb: the table ({@code TableName}, {@code arn:...:table/NAME}, an index as {@code .../index/NAME});
 *       a stream's calls (DynamoDB Streams signs as dynamodb) its {@code StreamArn}, and for {@code GetRecords},
 *       which names only a shard iterator, the stream that iterator was given for ({@link #ITERATORS});
 *   <li>kms: the key's ARN as the answer names it ({@code KeyId}), else the request's {@code KeyId} (an id as
 *       {@code key/ID}, an alias as {@code alias/NAME}); {@code kms:EncryptionContext:K} for each context entry,
 *       {@code kms:CallerAccount};
 *   <li>secretsmanager: the secret's full ARN (with its random suffix) from the answer ({@code ARN}), else the
 *       request's {@code SecretId} ({@code arn:...:secret:NAME} for a name);
 *   <li>states: {@code stateMachineArn}, {@code executionArn} (or {@code activityArn});
 *   <li>events: {@code PutEvents}: the event bus of each entry ({@code default} when unnamed); else the rule;
 *   <li>lambda: {@code FunctionName} qualified by {@code Qualifier};
 *   <li>any other call: {@code *} (matched only by a {@code Resource: "*"} statement).
 * </ul>
 */
final class CallResources {

    /**
     * The stream of each shard iterator handed out (GetShardIterator's, then each GetRecords' next one), until it
     * is used: a GetRecords call is on the stream its iterator came from.
     */
    private static final Map<String, String> ITERATORS = new java.util.concurrent.ConcurrentHashMap<>();

    private final String service;
    private final String operation;
    private final String region;
    private final String account;
    private final SdkRequest request;
    private final Optional<? extends SdkResponse> response;

    CallResources(String service, String operation, String region, String account, SdkRequest request,
                  Optional<? extends SdkResponse> response) {
        this.service = service;
        this.operation = operation;
        this.region = region;
        this.account = account;
        this.request = request;
        this.response = response;
    }

    List<String> arns() {
        List<String> arns = switch (service) {
            case "dynamodb" -> string(request, "TableName").map(this::table)
                    .map(t -> string(request, "IndexName").map(i -> t + "/index/" + i).orElse(t))
                    .or(this::stream).stream().toList();
            case "kms" -> response.flatMap(r -> string(r, "KeyId")).or(() -> string(request, "KeyId"))
                    .map(this::key).stream().toList();
            case "secretsmanager" -> response.flatMap(r -> string(r, "ARN")).or(() -> string(request, "SecretId")
                    .map(id -> arn(id, "secret:" + id))).stream().toList();
            case "states" -> string(request, "stateMachineArn").or(() -> string(request, "executionArn"))
                    .or(() -> string(request, "activityArn")).stream().toList();
            case "events" -> events();
            case "lambda" -> string(request, "FunctionName").map(f -> arn(f, "function:" + f)
                    + string(request, "Qualifier").map(q -> ":" + q).orElse("")).stream().toList();
            default -> List.of();
        };
        return arns.isEmpty() ? List.of("*") : arns;
    }

    /** The request's condition keys IAM and KMS evaluate (beyond action and resource). */
    Map<String, String> conditionKeys() {
        Map<String, String> keys = new TreeMap<>();
        if (service.equals("kms")) {
            keys.put("kms:CallerAccount", account);
            request.getValueForField("EncryptionContext", Map.class).ifPresent(context -> context.forEach(
                    (k, v) -> keys.put("kms:EncryptionContext:" + k, String.valueOf(v))));
        }
        return keys;
    }

    private List<String> events() {
        if (operation.equals("PutEvents")) {
            LinkedHashSet<String> buses = new LinkedHashSet<>();
            request.getValueForField("Entries", List.class).orElse(List.of()).forEach(entry -> buses.add(
                    entry instanceof SdkPojo pojo ? bus(pojo.sdkFields().stream()
                            .filter(f -> f.memberName().equals("EventBusName")).findFirst()
                            .map(f -> (String) f.getValueOrDefault(pojo)).orElse(null)) : bus(null)));
            return new ArrayList<>(buses);
        }
        return string(request, "Name").map(rule -> string(request, "EventBusName")
                .filter(b -> !b.equals("default")).map(b -> "rule/" + b + "/" + rule).orElse("rule/" + rule))
                .map(r -> "arn:aws:events:" + region + ":" + account + ":" + r).stream().toList();
    }

    /** A DynamoDB Streams call's stream (and the iterators it hands out, remembered for GetRecords). */
    private Optional<String> stream() {
        if (operation.equals("GetRecords")) {
            Optional<String> stream = string(request, "ShardIterator").map(ITERATORS::remove);
            stream.ifPresent(arn -> response.flatMap(r -> string(r, "NextShardIterator"))
                    .ifPresent(next -> ITERATORS.put(next, arn)));
            return stream;
        }
        Optional<String> stream = string(request, "StreamArn");
        if (operation.equals("GetShardIterator")) {
            stream.ifPresent(arn -> response.flatMap(r -> string(r, "ShardIterator"))
                    .ifPresent(iterator -> ITERATORS.put(iterator, arn)));
        }
        return stream;
    }

    private String bus(String name) {
        return name == null || name.isEmpty() ? "arn:aws:events:" + region + ":" + account + ":event-bus/default"
                : arn(name, "event-bus/" + name);
    }

    private String table(String name) {
        return arn(name, "table/" + name);
    }

    private String key(String id) {
        return arn(id, id.startsWith("alias/") ? id : "key/" + id);
    }

    /** {@code value} when it is an ARN already, else {@code arn:aws:SERVICE:REGION:ACCOUNT:resource}. */
    private String arn(String value, String resource) {
        return value.startsWith("arn:") ? value : "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
    }

    private static Optional<String> string(Object pojo, String field) {
        if (pojo instanceof SdkRequest r) {
            return r.getValueForField(field, String.class).filter(s -> !s.isEmpty());
        }
        if (pojo instanceof SdkResponse r) {
            return r.getValueForField(field, String.class).filter(s -> !s.isEmpty());
        }
        return Optional.empty();
    }
}
