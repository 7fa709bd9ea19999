package io.scaflow.local.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link ShineSandbox}. Immutable: each {@code withX} returns a changed copy.
 *
 * <p>Defaults: port 4010 on 127.0.0.1, client {@code sandbox-client} / {@code sandbox-secret}, action requests live
 * 60 s, short-lived tokens live 60 s, only the action {@code bank:transfers:create}, the system UTC clock, 8 threads.
 */
public final class SandboxConfig {

    public static final String TRANSFER_ACTION = "bank:transfers:create";
    public static final int DEFAULT_PORT = 4010;
    public static final String DEFAULT_CLIENT_ID = "sandbox-client";
    public static final String DEFAULT_CLIENT_SECRET = "sandbox-secret";
    public static final String ACCESS_TOKEN_PREFIX = "sandbox-access-token-";

    private final String host;
    private final int port;
    private final String clientId;
    private final String clientSecret;
    private final Duration actionRequestLifetime;
    private final Duration tokenLifetime;
    private final Set<String> extraActions;
    private final Clock clock;
    private final int threads;

    private SandboxConfig(String host, int port, String clientId, String clientSecret, Duration actionRequestLifetime,
                          Duration tokenLifetime, Set<String> extraActions, Clock clock, int threads) {
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        this.port = port;
        this.clientId = requireText(clientId, "clientId");
        this.clientSecret = requireText(clientSecret, "clientSecret");
        this.actionRequestLifetime = requirePositive(actionRequestLifetime, "actionRequestLifetime");
        this.tokenLifetime = requirePositive(tokenLifetime, "tokenLifetime");
        this.extraActions = Set.copyOf(extraActions);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.threads = threads;
    }

    public static SandboxConfig defaults() {
        return new SandboxConfig("127.0.0.1", DEFAULT_PORT, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
                Duration.ofSeconds(60), Duration.ofSeconds(60), Set.of(), Clock.systemUTC(), 8);
    }

    public SandboxConfig withHost(String value) {
        return new SandboxConfig(value, port, clientId, clientSecret, actionRequestLifetime, tokenLifetime,
                extraActions, clock, threads);
    }

    /** 0 picks a free port; {@link ShineSandbox#baseUrl()} tells which. */
    public SandboxConfig withPort(int value) {
        return new SandboxConfig(host, value, clientId, clientSecret, actionRequestLifetime, tokenLifetime,
                extraActions, clock, threads);
    }

    public SandboxConfig withClientCredentials(String id, String secret) {
        return new SandboxConfig(host, port, id, secret, actionRequestLifetime, tokenLifetime, extraActions, clock,
                threads);
    }

    public SandboxConfig withActionRequestLifetime(Duration value) {
        return new SandboxConfig(host, port, clientId, clientSecret, value, tokenLifetime, extraActions, clock,
                threads);
    }

    public SandboxConfig withTokenLifetime(Duration value) {
        return new SandboxConfig(host, port, clientId, clientSecret, actionRequestLifetime, value, extraActions, clock,
                threads);
    }

    /** Further action names accepted by the create endpoint (their tokens cannot pay a bank transfer). */
    public SandboxConfig withExtraActions(Set<String> value) {
        return new SandboxConfig(host, port, clientId, clientSecret, actionRequestLifetime, tokenLifetime, value,
                clock, threads);
    }

    /** Time source for every timestamp and expiry; pass a {@link MutableClock} to test expiry without waiting. */
    public SandboxConfig withClock(Clock value) {
        return new SandboxConfig(host, port, clientId, clientSecret, actionRequestLifetime, tokenLifetime,
                extraActions, value, threads);
    }

    public SandboxConfig withThreads(int value) {
        return new SandboxConfig(host, port, clientId, clientSecret, actionRequestLifetime, tokenLifetime,
                extraActions, clock, value);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public Duration actionRequestLifetime() {
        return actionRequestLifetime;
    }

    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    public Set<String> extraActions() {
        return extraActions;
    }

    /** {@code bank:transfers:create} followed by the extra actions. */
    public Set<String> knownActions() {
        Set<String> all = new LinkedHashSet<>();
        all.add(TRANSFER_ACTION);
        all.addAll(extraActions);
        return Set.copyOf(all);
    }

    public Clock clock() {
        return clock;
    }

    public int threads() {
        return threads;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    private static Duration requirePositive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}
