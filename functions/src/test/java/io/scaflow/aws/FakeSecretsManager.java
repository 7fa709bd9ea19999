package io.scaflow.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Secrets Manager's GetSecretValue in memory; an unknown id answers ResourceNotFoundException, as AWS does. */
public final class FakeSecretsManager implements SecretsManagerClient {

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final List<String> reads = new ArrayList<>();

    public FakeSecretsManager put(String id, String value) {
        secrets.put(id, value);
        return this;
    }

    @Override
    public synchronized GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        reads.add(request.secretId());
        String value = secrets.get(request.secretId());
        if (value == null) {
            throw ResourceNotFoundException.builder().message("Secrets Manager can't find the specified secret.").build();
        }
        return GetSecretValueResponse.builder().name(request.secretId()).secretString(value).build();
    }

    /** The ids read so far, in order. */
    public synchronized List<String> reads() {
        return List.copyOf(reads);
    }

    @Override
    public String serviceName() {
        return "secretsmanager";
    }

    @Override
    public void close() {
    }
}
