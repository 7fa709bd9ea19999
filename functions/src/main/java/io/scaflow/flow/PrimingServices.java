package io.scaflow.flow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.aws.AwsClients;
import io.scaflow.aws.KmsTokenCipher;
import io.scaflow.aws.SecretReader;
import io.scaflow.config.Env;
import io.scaflow.core.ActionRegistry;
import io.scaflow.core.Secret;
import io.scaflow.json.Json;
import io.scaflow.prime.InMemoryShine;
import io.scaflow.prime.PrimingBackend;
import io.scaflow.shine.ShineClient;
import io.scaflow.shine.ShineConfig;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.FlowStore;
import io.scaflow.store.KnownActionRequest;
import io.scaflow.store.StatusChange;
import io.scaflow.store.TokenCipher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The flow services a handler is primed with (SnapStart, {@link io.scaflow.prime}): the real store, Secrets Manager
 * reader, KMS cipher, Shine client and executions, with their real HTTP clients, all sent to the priming's loopback
 * server ({@link PrimingBackend}) instead of AWS and Shine, configured like the function (region, settings,
 * actions, limits) but with fake AWS credentials and a fake Shine client secret read from the fake Secrets Manager.
 * A flow is seeded in the status the handler expects with {@link #seed}. Close it (the server) when done.
 */
public final class PrimingServices implements AutoCloseable {

    public static final String FLOW_ID = "priming-flow";
    static final String UID = "priming-user";
    private static final Env PRIMING_ENV = new Env(Map.of("SHINE_CREDENTIALS_SECRET_ID", "scaflow-priming"));

    private final PrimingBackend backend;
    private final FlowServices services;
    private final Clock clock = Clock.systemUTC();
    private final boolean tokens;

    /** The cipher of a function without a token key (RecordFailure, ExecutionEnded): never used by their paths. */
    private static final TokenCipher NO_TOKEN_KEY = new TokenCipher() {
        @Override
        public SdkBytes seal(Secret token, Map<String, String> context) {
            throw new IllegalStateException("this function has no token key");
        }

        @Override
        public Secret open(SdkBytes ciphertext, Map<String, String> context) {
            throw new IllegalStateException("this function has no token key");
        }
    };

    private PrimingServices(Env env, FlowSettings settings, ActionRegistry actions, UsageLimits limits,
                            boolean tokens) {
        backend = new PrimingBackend(clock);
        AwsClients.Priming clients = AwsClients.priming(env, backend.uri());
        // Only the clients the function itself has (functions/Makefile gives each function only its own SDK jars):
        // KMS where its path handles tokens, Secrets Manager and Step Functions when its path uses them.
        this.tokens = tokens;
        FlowStore store = new FlowStore(clients.dynamoDb(), "scaflow-priming", settings.flowRetention(), clock,
                tokens ? KmsPriming.cipher(clients) : NO_TOKEN_KEY);
        services = new FlowServices(settings, actions, store, () -> new SecretReader(clients.secretsManager()),
                () -> new ShineClient(new ShineConfig(backend.uri(),
                        ShineCredentialsSource.load(PRIMING_ENV, this::secrets),
                        ShineConfig.DEFAULT_CONNECT_TIMEOUT, ShineConfig.DEFAULT_REQUEST_TIMEOUT,
                        ShineConfig.DEFAULT_EXECUTE_TIMEOUT, actions)),
                () -> new FlowExecutions(clients.stepFunctions(),
                        "arn:aws:states:eu-west-3:000000000000:stateMachine:priming"),
                clock, limits);
    }

    private SecretReader secrets() {
        return services.secrets();
    }

    /** The KMS client and cipher, in a class of their own: loaded only by a function that has the KMS jar. */
    private static final class KmsPriming {
        static TokenCipher cipher(AwsClients.Priming clients) {
            KmsClient kms = clients.kms();
            return new KmsTokenCipher(() -> kms, () -> "alias/scaflow-priming");
        }
    }

    /**
     * Priming services shaped like {@code live} (its settings, actions and limits), on {@code env}'s endpoints;
     * {@code tokens}: the function seals or opens tokens (it has the KMS client; the seeded flow holds tokens).
     */
    public static PrimingServices like(FlowServices live, Env env, boolean tokens) {
        return new PrimingServices(env, live.settings(), ShineConfig.actionsFromEnv(env), live.limits(), tokens);
    }

    public FlowServices services() {
        return services;
    }

    /** The AWS operations the priming made (all answered in memory). */
    public List<String> awsOperations() {
        return backend.awsOperations();
    }

    /** The Shine requests the priming made (all answered in memory). */
    public List<String> shineRequests() {
        return backend.shineRequests();
    }

    /** Records the priming flow in {@code status} (PENDING, AWAITING_CONFIRMATION or CONFIRMED) in memory. */
    public Flow seed(FlowStatus status) {
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofMinutes(1));
        boolean opened = status != FlowStatus.PENDING;
        boolean confirmed = status == FlowStatus.CONFIRMED;
        Flow flow = new Flow(FLOW_ID, ActionRegistry.BANK_TRANSFER, UID, payload(), status, opened ? 1 : 0,
                opened ? InMemoryShine.ACTION_REQUEST_ID : null,
                opened ? List.of(KnownActionRequest.received(InMemoryShine.ACTION_REQUEST_ID, 1, expires)) : List.of(),
                now, now, opened ? now : null, opened ? expires : null, confirmed ? now : null, null, false, null,
                null, List.of(new StatusChange(status, now, "priming")),
                tokens ? Optional.of(Secret.of("priming-access-token")) : Optional.empty(),
                tokens && confirmed ? Optional.of(Secret.of("priming-short-lived-token")) : Optional.empty(), null, null,
                null);
        services.store().create(flow);
        return flow;
    }

    @Override
    public void close() {
        backend.close();
    }

    static ObjectNode payload() {
        return Json.MAPPER.createObjectNode().put("amount", new java.math.BigDecimal("1.00"))
                .put("bankTransferRecipientId", "priming-recipient").put("uid", UID);
    }
}
