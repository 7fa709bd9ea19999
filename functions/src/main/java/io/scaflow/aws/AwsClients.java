package io.scaflow.aws;

import io.scaflow.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * AWS SDK clients configured from an {@link Env}: the region from {@code AWS_REGION}, credentials resolved at
 * each call ({@link CallTimeCredentials}: the environment's keys, else the default chain) and the light
 * URL-connection HTTP client. {@code AWS_ENDPOINT_URL_<SERVICE>} or {@code AWS_ENDPOINT_URL} point a client at a
 * local emulator. Build each client once per container.
 *
 * <p>{@link #priming} builds the same clients with fixed fake credentials, pointed at the priming's loopback server,
 * for SnapStart priming: they marshal, sign, send and unmarshal like the real ones, and nothing leaves the machine.
 *
 * <p>All clients share one HTTP client ({@link SharedHttp}): building a URL-connection client sets up a TLS context
 * (the JDK's trust store read and parsed), which each client would otherwise do again at start-up. A client given
 * an HTTP client this way does not close it; the container's lifetime is the HTTP client's.
 */
public final class AwsClients {

    /**
     * One HTTP attempt of an AWS call: DynamoDB, KMS and Secrets Manager answer in tens of milliseconds, so an
     * attempt still unanswered after this is a hung connection, which the SDK abandons and retries.
     */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(8);
    /**
     * A whole AWS call, the SDK's retries and their backoff included: inside the functions' 25 s timeout, so that a
     * call that cannot succeed ends as a transient failure the step reports ({@link TransientAwsFailure}), not as a
     * Lambda timeout.
     */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    /** The priming clients' credentials: fake, fixed, only ever sent to the priming's loopback server. */
    private static final AwsCredentialsProvider PRIMING_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("PRIMINGONLYNOTAKEY", "priming-only"));
    /** Every client's credentials (weakly: a client that is gone needs no refresh). */
    private static final Set<CallTimeCredentials> CREDENTIALS = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private AwsClients() {
    }

    /** After a SnapStart restore: every client's credentials resolve again ({@link CallTimeCredentials#refresh}). */
    public static void refreshCredentials() {
        snapshot().forEach(CallTimeCredentials::refresh);
    }

    private static List<CallTimeCredentials> snapshot() {
        synchronized (CREDENTIALS) {
            return List.copyOf(CREDENTIALS);
        }
    }

    /** The clients of {@code env}'s region, sent to {@code loopback}, with fake credentials. */
    public static Priming priming(Env env, URI loopback) {
        return new Priming(env, loopback);
    }

    /** Clients for priming: the real configuration but for the HTTP client and the credentials. */
    public static final class Priming {
        private final Env env;
        private final URI loopback;

        private Priming(Env env, URI loopback) {
            this.env = env;
            this.loopback = loopback;
        }

        public DynamoDbClient dynamoDb() {
            return primed(DynamoDbClient.builder(), "DYNAMODB").build();
        }

        public SecretsManagerClient secretsManager() {
            return primed(SecretsManagerClient.builder(), "SECRETS_MANAGER").build();
        }

        public KmsClient kms() {
            return primed(KmsClient.builder(), "KMS").build();
        }

        public SfnClient stepFunctions() {
            return primed(SfnClient.builder(), "SFN").build();
        }

        private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B primed(B builder, String service) {
            common(builder, env).credentialsProvider(PRIMING_CREDENTIALS)
                    .httpClient(SharedHttp.CLIENT).endpointOverride(loopback);
            return builder;
        }
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
        CallTimeCredentials credentials = new CallTimeCredentials(env);
        CREDENTIALS.add(credentials);
        common(builder, env).credentialsProvider(credentials).httpClient(SharedHttp.CLIENT);
        endpoint(env, service).ifPresent(builder::endpointOverride);
        return builder;
    }

    /** What every client has, the priming's too: {@code env}'s region and the bounded call times. */
    private static <B extends AwsClientBuilder<B, ?>> B common(B builder, Env env) {
        return builder.region(Region.of(env.string("AWS_REGION", env.string("AWS_DEFAULT_REGION", "eu-west-3"))))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT));
    }

    /** The one HTTP client of the process, built on first use (by the first AWS client built). */
    private static final class SharedHttp {
        static final SdkHttpClient CLIENT = UrlConnectionHttpClient.builder().build();
    }

    private static Optional<URI> endpoint(Env env, String service) {
        return env.optional("AWS_ENDPOINT_URL_" + service).or(() -> env.optional("AWS_ENDPOINT_URL")).map(URI::create);
    }

}
