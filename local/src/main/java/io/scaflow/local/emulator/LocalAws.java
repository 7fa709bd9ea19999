package io.scaflow.local.emulator;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * AWS SDK v2 clients for local endpoints (moto server, the local Step Functions service): url-connection HTTP
 * client, dummy static credentials, region {@value #REGION_ID}, the given endpoint, and no retries (a local error
 * should show at once, not after back-off). Close the clients you create.
 */
public final class LocalAws {
    public static final String REGION_ID = "eu-west-3";
    public static final Region REGION = Region.of(REGION_ID);
    public static final String ACCESS_KEY_ID = "testing";
    public static final String SECRET_ACCESS_KEY = "testing";
    /** The account moto reports in ARNs. */
    public static final String ACCOUNT_ID = "123456789012";

    private LocalAws() {
    }

    /** Dummy static credentials. */
    public static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    /** A fresh url-connection HTTP client with short timeouts. */
    public static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** Client override configuration shared by the local clients: no retries, 30 s per call. */
    public static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(Duration.ofSeconds(30))
                .build();
    }

    public static DynamoDbClient dynamoDb(URI endpoint) {
        return local(DynamoDbClient.builder(), endpoint).build();
    }

    public static DynamoDbStreamsClient dynamoDbStreams(URI endpoint) {
        return local(DynamoDbStreamsClient.builder(), endpoint).build();
    }

    /** The same, signing with {@code accessKeyId} (an event source mapping reads as its function's role). */
    public static DynamoDbStreamsClient dynamoDbStreams(URI endpoint, String accessKeyId) {
        return local(DynamoDbStreamsClient.builder(), endpoint).credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyId, SECRET_ACCESS_KEY))).build();
    }

    public static SecretsManagerClient secretsManager(URI endpoint) {
        return local(SecretsManagerClient.builder(), endpoint).build();
    }

    public static KmsClient kms(URI endpoint) {
        return local(KmsClient.builder(), endpoint).build();
    }

    public static SfnClient sfn(URI endpoint) {
        return local(SfnClient.builder(), endpoint).build();
    }

    /** Any SDK client builder set up for a local emulator at {@code endpoint}. */
    public static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B local(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(credentials())
                .httpClient(httpClient())
                .overrideConfiguration(overrides());
    }
}
