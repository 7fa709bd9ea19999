package io.scaflow.local.stack;

import io.scaflow.config.Env;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.log.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make run}: the whole local stack in the foreground (the API on 127.0.0.1:3000, the Shine sandbox and its
 * web page on 127.0.0.1:4010, moto, Lambda, Step Functions) until Ctrl-C. The sandbox's users answer nothing by
 * themselves (policy MANUAL): a person confirms or rejects on the sandbox's page.
 */
public final class RunMain {

    private static final String USAGE = """
            usage: make run [ARGS="--api-port N --sandbox-port N"]
              --api-port       the local API Gateway's port (default 3000, or API_PORT)
              --sandbox-port   the Shine sandbox's port (default 4010, or SANDBOX_PORT)
            SHINE_API_BASE_URL, SHINE_CLIENT_ID, SHINE_CLIENT_SECRET point the flows at another Shine API.""";

    private RunMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Env env = Env.system();
        int apiPort = env.integer("API_PORT", 3000);
        int sandboxPort = env.integer("SANDBOX_PORT", SandboxConfig.DEFAULT_PORT);
        try {
            for (int i = 0; i < args.length; i++) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("incomplete option: " + args[i]);
                }
                switch (args[i]) {
                    case "--api-port" -> apiPort = Integer.parseInt(args[++i]);
                    case "--sandbox-port" -> sandboxPort = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option: " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Optional<LocalDeployment.ExternalShine> external = LocalDeployment.ExternalShine.fromEnv(env);
        Path handlerLog = Path.of("target", "run-handlers.log").toAbsolutePath();
        try {
            Files.createDirectories(handlerLog.getParent());
            Log.redirect(new PrintStream(Files.newOutputStream(handlerLog), true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("starting the local stack (moto, Shine sandbox, Lambda, Step Functions, API Gateway); "
                + "handler logs in " + handlerLog);
        LocalDeployment stack = LocalDeployment.start(Map.of(), external, SandboxConfig.defaults().withPort(sandboxPort),
                apiPort);
        Path events = Path.of("target", "run-events.jsonl").toAbsolutePath();
        stack.eventBus().writeTo(events);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping the local stack");
            try {
                stack.close();
            } finally {
                stopped.countDown();
            }
        }, "scaflow-run-shutdown"));
        System.out.println(banner(stack));
        stopped.await();
    }

    static String banner(LocalDeployment stack) {
        String api = stack.apiEndpoint().toString();
        StringBuilder out = new StringBuilder();
        out.append("\nscaflow is running (Ctrl-C stops it)\n");
        out.append("  API:            ").append(api).append("  (no SigV4 check locally)\n");
        stack.apiGateway().routes().forEach(r -> out.append("                    ").append(r).append('\n'));
        stack.sandbox().ifPresentOrElse(
                s -> out.append("  Shine sandbox:  ").append(s.baseUrl()).append("  (the user's app: open ")
                        .append(s.baseUrl()).append("/ and click Confirm)\n"),
                () -> out.append("  Shine:          the API given by SHINE_API_BASE_URL\n"));
        out.append("  Step Functions: ").append(stack.stepFunctions().endpoint()).append('\n');
        out.append("  moto:           ").append(stack.moto().endpoint()).append('\n');
        out.append("  status events:  target/run-events.jsonl  (one EventBridge event a line, as the bus delivers them)\n");
        out.append("\nStart a transfer:\n");
        out.append("  curl -s -X POST ").append(api).append("/v1/transfers -H 'Content-Type: application/json' "
                + "-d '{\"uid\": \"USER_ID\", \"amount\": 234.50, \"bankTransferRecipientId\": \"RECIPIENT_ID\", "
                + "\"accessToken\": \"sandbox-access-token-USER_ID\"}'\n");
        out.append("then follow it:\n");
        out.append("  curl -s ").append(api).append("/v1/actions/<id>\n");
        return out.toString();
    }
}
