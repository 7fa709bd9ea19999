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
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * What the step handlers work with, built once per container. The store is built eagerly (cheap, no I/O); the
 * Shine client reads its credentials from Secrets Manager on first use, not during init. The store's KMS client
 * (tokens are stored encrypted under {@code TOKEN_KEY_ID}) is built once per container: during init where
 * {@code TOKEN_KEY_ID} is set (the functions that store or use a token: no I/O, and SnapStart keeps it in the
 * snapshot), else on first use, so RecordFailure and ExecutionEnded, which never touch a token, neither build it
 * nor need the key.
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
        Supplier<KmsClient> kms = memoize(() -> AwsClients.kms(env));
        if (env.optional("TOKEN_KEY_ID").isPresent()) {
            kms.get();   // in the init phase, so in the SnapStart snapshot, for the functions that store or use a token
        }
        KmsTokenCipher cipher = new KmsTokenCipher(kms, memoize(() -> env.required("TOKEN_KEY_ID")));
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
