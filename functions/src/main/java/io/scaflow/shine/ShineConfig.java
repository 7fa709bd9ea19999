package io.scaflow.shine;

import io.scaflow.core.ActionRegistry;

import io.scaflow.config.ConfigurationException;
import io.scaflow.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Where Shine is, who we are there, how long we wait, and which actions we may run. {@code requestTimeout} bounds
 * a whole create or poll call (connection, status and body), {@code executeTimeout} the call that executes a
 * confirmed action: longer, since Shine may take seconds to make a transfer, and an answer that comes after the
 * timeout leaves the flow OUTCOME_UNKNOWN (see docs/design.md for the number).
 */
public record ShineConfig(
        URI baseUrl,
        ClientCredentials credentials,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration executeTimeout,
        ActionRegistry actions) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_EXECUTE_TIMEOUT = Duration.ofSeconds(15);
    /** The hosts plain http is accepted for: the local stack's sandbox. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    public ShineConfig {
        baseUrl = withoutTrailingSlash(baseUrl);
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(executeTimeout, "executeTimeout");
    }

    /** The execute call waits as long as the others ({@code requestTimeout}). */
    public ShineConfig(URI baseUrl, ClientCredentials credentials, Duration connectTimeout, Duration requestTimeout,
                       ActionRegistry actions) {
        this(baseUrl, credentials, connectTimeout, requestTimeout, requestTimeout, actions);
    }

    /**
     * Reads {@code SHINE_API_BASE_URL}, {@code SHINE_CONNECT_TIMEOUT_MS}, {@code SHINE_REQUEST_TIMEOUT_MS},
     * {@code SHINE_EXECUTE_TIMEOUT_MS}, {@code SHINE_ACTIONS}.
     */
    public static ShineConfig fromEnv(Env env, ClientCredentials credentials) {
        URI baseUrl;
        try {
            baseUrl = checkedBaseUrl(URI.create(env.required("SHINE_API_BASE_URL")));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("SHINE_API_BASE_URL", "is not an https URL without user, query or "
                    + "fragment (http only on 127.0.0.1, localhost or [::1], the local stack)");
        }
        return new ShineConfig(baseUrl, credentials,
                positiveMillis(env, "SHINE_CONNECT_TIMEOUT_MS", DEFAULT_CONNECT_TIMEOUT),
                positiveMillis(env, "SHINE_REQUEST_TIMEOUT_MS", DEFAULT_REQUEST_TIMEOUT),
                positiveMillis(env, "SHINE_EXECUTE_TIMEOUT_MS", DEFAULT_EXECUTE_TIMEOUT),
                actionsFromEnv(env));
    }

    /** The built-in actions plus those of {@code SHINE_ACTIONS}. */
    public static ActionRegistry actionsFromEnv(Env env) {
        try {
            return ActionRegistry.withExtra(env.optional("SHINE_ACTIONS").orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("SHINE_ACTIONS", "is invalid: " + e.getMessage());
        }
    }

    private static Duration positiveMillis(Env env, String name, Duration fallback) {
        Duration value = env.millis(name, fallback);
        if (value.isZero() || value.isNegative()) {
            throw new ConfigurationException(name, "must be a positive number of milliseconds");
        }
        return value;
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static URI withoutTrailingSlash(URI uri) {
        URI checked = checkedBaseUrl(uri);
        String text = checked.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : checked;
    }

    /**
     * Shine is reached over https: the calls carry the client secret, the user's access token and the short-lived
     * token. Plain http is accepted only on the loopback (127.0.0.1, localhost, [::1]), where the local stack's
     * sandbox runs. No user information, query or fragment: the paths are appended to it.
     */
    private static URI checkedBaseUrl(URI uri) {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("Shine's base URL must be an absolute https URL without user, query "
                    + "or fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean loopback = LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new IllegalArgumentException("Shine's base URL must be https (http only on the loopback)");
        }
        return uri;
    }
}
