package io.scaflow.aws;

import io.scaflow.config.Env;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The functions' AWS credentials, resolved when a call is signed, never when the client is built: the keys of the
 * environment when it has them (a plain Lambda, the local stack), else the SDK's default chain (with SnapStart
 * Lambda gives no keys, only the container credentials endpoint). Nothing is resolved while a handler is built or
 * primed, so a SnapStart snapshot holds no credentials; {@link #refresh()} (after a restore) drops the default
 * chain with whatever it cached, and the next call resolves again.
 */
public final class CallTimeCredentials implements AwsCredentialsProvider {

    private final Env env;
    private final Supplier<? extends AwsCredentialsProvider> chainFactory;
    private volatile AwsCredentialsProvider chain;

    public CallTimeCredentials(Env env) {
        this(env, () -> DefaultCredentialsProvider.builder().build());
    }

    CallTimeCredentials(Env env, Supplier<? extends AwsCredentialsProvider> chainFactory) {
        this.env = env;
        this.chainFactory = chainFactory;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        Optional<String> key = env.optional("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.optional("AWS_SECRET_ACCESS_KEY");
        if (key.isPresent() && secret.isPresent()) {
            Optional<String> session = env.optional("AWS_SESSION_TOKEN");
            return session.isPresent()
                    ? AwsSessionCredentials.create(key.get(), secret.get(), session.get())
                    : AwsBasicCredentials.create(key.get(), secret.get());
        }
        AwsCredentialsProvider current = chain;
        if (current == null) {
            synchronized (this) {
                if (chain == null) {
                    chain = chainFactory.get();
                }
                current = chain;
            }
        }
        return current.resolveCredentials();
    }

    /** Whether the default chain was built (and may hold cached credentials). */
    public boolean chainBuilt() {
        return chain != null;
    }

    /** Drops the default chain and what it cached; the next call builds it again. */
    public void refresh() {
        AwsCredentialsProvider old;
        synchronized (this) {
            old = chain;
            chain = null;
        }
        if (old instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // a chain that cannot close holds nothing the next one needs
            }
        }
    }
}
