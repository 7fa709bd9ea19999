package io.scaflow.aws;

import io.scaflow.config.Env;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * AWS SDK clients configured from an {@link Env}: the region from {@code AWS_REGION}, credentials from the
 * environment's keys (Lambda sets them) and the light URL-connection HTTP client. {@code AWS_ENDPOINT_URL_<SERVICE>}
 * or {@code AWS_ENDPOINT_URL} point a client at a local emulator. Build each client once per container.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(Env env) {
        return configure(DynamoDbClient.builder(), env, "DYNAMODB").build();
    }

    public static SecretsManagerClient secretsManager(Env env) {
        return configure(SecretsManagerClient.builder(), env, "SECRETS_MANAGER").build();
    }

    public static KmsClient kms(Env env) {
        return configure(KmsClient.builder(), env, "KMS").build();
    }

    public static SfnClient stepFunctions(Env env) {
        return configure(SfnClient.builder(), env, "SFN").build();
    }

    /** EventBridge, for the status events ({@code AWS_ENDPOINT_URL_EVENTBRIDGE} points it elsewhere). */
    public static EventBridgeClient eventBridge(Env env) {
        return configure(EventBridgeClient.builder(), env, "EVENTBRIDGE").build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, Env env, String service) {
        builder.region(Region.of(env.string("AWS_REGION", env.string("AWS_DEFAULT_REGION", "eu-west-3"))))
                .credentialsProvider(credentials(env))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        endpoint(env, service).ifPresent(builder::endpointOverride);
        return builder;
    }

    private static Optional<URI> endpoint(Env env, String service) {
        return env.optional("AWS_ENDPOINT_URL_" + service).or(() -> env.optional("AWS_ENDPOINT_URL")).map(URI::create);
    }

    private static AwsCredentialsProvider credentials(Env env) {
        Optional<String> key = env.optional("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.optional("AWS_SECRET_ACCESS_KEY");
        if (key.isEmpty() || secret.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        Optional<String> session = env.optional("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(session.isPresent()
                ? AwsSessionCredentials.create(key.get(), secret.get(), session.get())
                : AwsBasicCredentials.create(key.get(), secret.get()));
    }
}
