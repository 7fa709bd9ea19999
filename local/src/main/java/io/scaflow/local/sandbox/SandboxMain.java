package io.scaflow.local.sandbox;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox standalone on 127.0.0.1 until Ctrl-C.
 *
 * <pre>
 * --port N                      (else env SANDBOX_PORT, else 4010)
 * --client-id ID --client-secret SECRET
 * --action-lifetime-seconds N   (60)
 * --token-lifetime-seconds N    (60)
 * --extra-action NAME           (repeatable)
 * </pre>
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxConfig config;
        try {
            config = parse(args, System.getenv("SANDBOX_PORT"));
        } catch (IllegalArgumentException e) {
            System.err.println("shine sandbox: " + e.getMessage());
            System.exit(2);
            return;
        }
        ShineSandbox sandbox = ShineSandbox.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "shine-sandbox-stop"));
        System.out.println("Shine sandbox listening on " + sandbox.baseUrl());
        System.out.println("  client_id:     " + config.clientId());
        System.out.println("  client_secret: " + config.clientSecret());
        System.out.println("  access token of any uid U: " + SandboxConfig.ACCESS_TOKEN_PREFIX + "U");
        System.out.println("  action request lifetime " + config.actionRequestLifetime().toSeconds()
                + " s, short-lived token lifetime " + config.tokenLifetime().toSeconds() + " s");
        System.out.println("  actions: " + String.join(", ", config.knownActions()));
        System.out.println("  control API: " + sandbox.baseUrl() + "/sandbox/...  (Ctrl-C stops)");
        System.out.flush();
        stopped.await();
    }

    static SandboxConfig parse(String[] args, String envPort) {
        SandboxConfig config = SandboxConfig.defaults();
        if (envPort != null && !envPort.isBlank()) {
            config = config.withPort(integer(envPort, "SANDBOX_PORT"));
        }
        String clientId = config.clientId();
        String clientSecret = config.clientSecret();
        Set<String> extra = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--port" -> config = config.withPort(integer(value, name));
                case "--client-id" -> clientId = value;
                case "--client-secret" -> clientSecret = value;
                case "--action-lifetime-seconds" ->
                        config = config.withActionRequestLifetime(Duration.ofSeconds(integer(value, name)));
                case "--token-lifetime-seconds" ->
                        config = config.withTokenLifetime(Duration.ofSeconds(integer(value, name)));
                case "--extra-action" -> extra.add(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return config.withClientCredentials(clientId, clientSecret).withExtraActions(extra);
    }

    private static int integer(String value, String name) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
    }
}
