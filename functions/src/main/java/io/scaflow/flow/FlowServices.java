package io.scaflow.flow;

import io.scaflow.aws.AwsClients;
import io.scaflow.aws.KmsTokenCipher;
import io.scaflow.aws.SecretReader;
import io.scaflow.config.Env;
import io.scaflow.input.ActionInputValidator;
import io.scaflow.core.ActionRegistry;
import io.scaflow.shine.Shine;
import io.scaflow.shine.ShineClient;
import io.scaflow.shine.ShineConfig;
import io.scaflow.store.FlowStore;
import io.scaflow.store.Flows;
import io.scaflow.store.MeteredFlows;
import io.scaflow.store.TokenCipher;
import io.scaflow.core.Secret;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What the step handlers work with, built once per container. The store and its DynamoDB client, which every
 * invocation of every function uses, are built eagerly (no I/O). Every other client is built on its first use, so
 * that a cold start pays only for what the invocation needs (docs/design.md, "Cold start"): the Shine client, which
 * reads its credentials from Secrets Manager; the KMS client of the store's tokens (encrypted under
 * {@code TOKEN_KEY_ID}), which only some paths use (a new flow's token, a confirmation's short-lived token, an
 * execution's two tokens) and RecordFailure and ExecutionEnded never; the Step Functions client, the API's only.
 * A function's package holds only the SDK clients it can build (functions/Makefile).
 */
public final class FlowServices {

    private static volatile FlowServices fromEnvironment;

    private final FlowSettings settings;
    private final ActionRegistry actions;
    private final Flows store;
    private final Supplier<SecretReader> secrets;
    private final Memo<Shine> shine;
    private final Supplier<FlowExecutions> executions;
    private final Clock clock;
    private final UsageLimits limits;

    public FlowServices(FlowSettings settings, ActionRegistry actions, Flows store,
                        Supplier<SecretReader> secrets, Supplier<? extends Shine> shine,
                        Supplier<FlowExecutions> executions, Clock clock) {
        this(settings, actions, store, secrets, shine, executions, clock, UsageLimits.NONE);
    }

    public FlowServices(FlowSettings settings, ActionRegistry actions, Flows store,
                        Supplier<SecretReader> secrets, Supplier<? extends Shine> shine,
                        Supplier<FlowExecutions> executions, Clock clock, UsageLimits limits) {
        this.limits = limits;
        this.settings = settings;
        this.actions = actions;
        this.store = MeteredFlows.of(store);
        this.secrets = memoize(secrets);
        this.shine = memoize(shine);
        this.executions = memoize(executions);
        this.clock = clock;
    }

    /** Services configured by {@code env}: what the Lambda runtime gets (from the process environment). */
    public static FlowServices create(Env env) {
        return create(env, Clock.systemUTC());
    }

    /** As {@link #create(Env)}, on another clock (tests and the local stack move time forward). */
    public static FlowServices create(Env env, Clock clock) {
        FlowSettings settings = FlowSettings.fromEnv(env);
        // Everything KMS is built inside this supplier's body: a lambda typed with a KMS class (a Supplier<KmsClient>
        // here) would load that class when it is created, and RecordFailure and ExecutionEnded ship no KMS jar.
        TokenCipher cipher = lazy(() -> new KmsTokenCipher(memoize(() -> AwsClients.kms(env)),
                memoize(() -> env.required("TOKEN_KEY_ID"))));
        FlowStore store = new FlowStore(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), settings.flowRetention(),
                clock, cipher);
        Supplier<SecretReader> secrets = memoize(() -> new SecretReader(AwsClients.secretsManager(env)));
        return new FlowServices(settings, ShineConfig.actionsFromEnv(env), store,
                secrets, () -> new ShineClient(ShineConfig.fromEnv(env, ShineCredentialsSource.load(env, secrets))),
                () -> new FlowExecutions(AwsClients.stepFunctions(env), env.required("STATE_MACHINE_ARN")), clock,
                UsageLimits.fromEnv(env));
    }

    /** The container's services, from the process environment. */
    public static FlowServices fromEnvironment() {
        FlowServices services = fromEnvironment;
        if (services == null) {
            synchronized (FlowServices.class) {
                if (fromEnvironment == null) {
                    fromEnvironment = create(Env.system());
                }
                services = fromEnvironment;
            }
        }
        return services;
    }

    public FlowSettings settings() {
        return settings;
    }

    public Flows store() {
        return store;
    }

    public SecretReader secrets() {
        return secrets.get();
    }

    public Shine shine() {
        return shine.get();
    }

    /** The state machine's executions (API functions only: needs {@code STATE_MACHINE_ARN}). */
    public FlowExecutions executions() {
        return executions.get();
    }

    public Clock clock() {
        return clock;
    }

    /**
     * After a SnapStart restore: the Shine client is built again on first use, so client credentials read (and
     * HTTP connections opened) before the snapshot are never shared by the restored instances.
     */
    public void afterRestore() {
        shine.reset();
    }

    /** Whether the Shine client (with its client credentials) is built (tests of the priming). */
    public boolean shineBuilt() {
        return shine.isSet();
    }

    /** What the API lets one caller or one uid start (API functions; none elsewhere). */
    public UsageLimits limits() {
        return limits;
    }

    public ActionInputValidator validator() {
        return new ActionInputValidator(actions, settings.maxAmount());
    }

    private static <T> Memo<T> memoize(Supplier<? extends T> supplier) {
        return new Memo<>(supplier);
    }

    /** A cipher built on its first use (the functions that never seal or open a token never build one). */
    private static TokenCipher lazy(Supplier<TokenCipher> cipher) {
        Supplier<TokenCipher> once = memoize(cipher);
        return new TokenCipher() {
            @Override
            public SdkBytes seal(Secret token, Map<String, String> context) {
                return once.get().seal(token, context);
            }

            @Override
            public Secret open(SdkBytes ciphertext, Map<String, String> context) {
                return once.get().open(ciphertext, context);
            }
        };
    }

    /** A value built on first use, once, until {@link #reset()}. */
    private static final class Memo<T> implements Supplier<T> {
        private final Supplier<? extends T> supplier;
        private volatile T value;

        Memo(Supplier<? extends T> supplier) {
            this.supplier = supplier;
        }

        @Override
        public T get() {
            T current = value;
            if (current == null) {
                synchronized (this) {
                    if (value == null) {
                        value = supplier.get();
                    }
                    current = value;
                }
            }
            return current;
        }

        boolean isSet() {
            return value != null;
        }

        synchronized void reset() {
            value = null;
        }
    }
}
