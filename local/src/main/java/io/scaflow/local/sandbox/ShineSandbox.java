package io.scaflow.local.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A local stand-in for Shine's API (action requests, polling, bank transfers) with a simulated user, fault
 * injection and records. Start one per test class with {@code ShineSandbox.start(SandboxConfig.defaults()
 * .withPort(0))}, point the client at {@link #baseUrl()}, {@link #close()} it afterwards. Thread-safe.
 *
 * <p>The Java methods do what the {@code /sandbox/...} control endpoints do.
 */
public final class ShineSandbox implements AutoCloseable {

    private final SandboxConfig config;
    private final ShineRules rules;
    private final Faults faults = new Faults();
    private final SandboxHttpServer server;

    private ShineSandbox(SandboxConfig config) throws IOException {
        this.config = config;
        this.rules = new ShineRules(config);
        this.server = new SandboxHttpServer(config, new ShineApi(rules, faults), new ControlApi(this));
    }

    public static ShineSandbox start(SandboxConfig config) {
        try {
            return new ShineSandbox(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Shine sandbox on " + config.host() + ":"
                    + config.port(), e);
        }
    }

    /** The defaults on a free port. */
    public static ShineSandbox start() {
        return start(SandboxConfig.defaults().withPort(0));
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://" + config.host() + ":" + port();
    }

    public int port() {
        return server.port();
    }

    public SandboxConfig config() {
        return config;
    }

    public String clientId() {
        return config.clientId();
    }

    public String clientSecret() {
        return config.clientSecret();
    }

    /** The current time of the sandbox's clock. */
    public Instant now() {
        return rules.now();
    }

    // ---- users -----------------------------------------------------------------------------------------------

    /** The access token the sandbox accepts for this uid. */
    public String accessTokenOf(String uid) {
        return rules.accessTokens().tokenOf(uid);
    }

    /** Registers an access token for a uid (a random one when null); returns it. Replaces the default token. */
    public String registerUser(String uid, String accessToken) {
        return rules.accessTokens().register(uid, accessToken);
    }

    /** Applies to the uid's action requests created from now on. */
    public void setPolicy(String uid, UserPolicy policy) {
        rules.policies().set(uid, policy);
    }

    /**
     * The uid's action requests created from now on live {@code lifetime} instead of the configured one (null: the
     * configured one again); Shine's documentation gives one minute in one place and three in another.
     */
    public void setActionRequestLifetime(String uid, java.time.Duration lifetime) {
        rules.setLifetime(uid, lifetime);
    }

    // ---- the simulated user ----------------------------------------------------------------------------------

    /** Confirms as the user. 404 / 409 (not pending, expired) as {@link SandboxException}. */
    public ActionRequest confirm(String actionRequestId) {
        return rules.confirm(actionRequestId);
    }

    /** Rejects as the user. 404 / 409 (not pending, expired) as {@link SandboxException}. */
    public ActionRequest reject(String actionRequestId) {
        return rules.reject(actionRequestId);
    }

    public Optional<ActionRequest> actionRequest(String actionRequestId) {
        return Optional.ofNullable(rules.find(actionRequestId));
    }

    public List<ActionRequest> actionRequests() {
        return rules.list(null);
    }

    /** Those with this status (PENDING includes expired ones: expiry is not a status). */
    public List<ActionRequest> actionRequests(ActionRequestStatus status) {
        return rules.list(status);
    }

    // ---- faults and records ----------------------------------------------------------------------------------

    public void injectFault(Fault fault) {
        faults.add(fault);
    }

    public List<Fault> faults() {
        return faults.pending();
    }

    public void clearFaults() {
        faults.clear();
    }

    public List<CallRecord> calls() {
        return rules.records().calls();
    }

    public List<TransferRecord> transfers() {
        return rules.records().transfers();
    }

    /** Forgets everything: action requests, tokens, users, policies, faults, records. The config stays. */
    public void reset() {
        faults.clear();
        rules.reset();
    }

    @Override
    public void close() {
        server.close();
    }
}
