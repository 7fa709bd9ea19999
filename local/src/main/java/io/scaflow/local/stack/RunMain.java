package io.scaflow.local.stack;

import io.scaflow.local.emulator.LocalAws;
import io.scaflow.config.Env;
import io.scaflow.local.operator.OperatorServer;
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
 * web page on 127.0.0.1:4010, the operator page on 127.0.0.1:4020/operator, moto, Lambda, Step Functions) until
 * Ctrl-C. The sandbox's users answer nothing by
 * themselves (policy MANUAL): a person confirms or rejects on the sandbox's page.
 */
public final class RunMain {

    /** The operator page's port unless told otherwise. */
    static final int DEFAULT_OPERATOR_PORT = 4020;

    private static final String USAGE = """
            usage: make run [SIGV4=1] [ARGS="--api-port N --sandbox-port N --operator-port N --sigv4"]
              --api-port       the local API Gateway's port (default 3000, or API_PORT)
              --sandbox-port   the Shine sandbox's port (default 4010, or SANDBOX_PORT)
              --operator-port  the operator page's port (default 4020, or OPERATOR_PORT; 0: a free one)
              --sigv4          every API request must be SigV4-signed with the local credentials (SIGV4=1)
            SHINE_API_BASE_URL, SHINE_CLIENT_ID, SHINE_CLIENT_SECRET point the flows at another Shine API.
            LAMBDA=runtime runs each function in its own JVM from its sam build output (default: in-process).""";

    private RunMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Env env = Env.system();
        int apiPort = env.integer("API_PORT", 3000);
        int sandboxPort = env.integer("SANDBOX_PORT", SandboxConfig.DEFAULT_PORT);
        int operatorPort = env.integer("OPERATOR_PORT", DEFAULT_OPERATOR_PORT);
        Optional<LocalCredentials> sigv4 = Optional.empty();
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--sigv4")) {
                    sigv4 = Optional.of(LocalCredentials.defaults());
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("incomplete option: " + args[i]);
                }
                switch (args[i]) {
                    case "--api-port" -> apiPort = Integer.parseInt(args[++i]);
                    case "--sandbox-port" -> sandboxPort = Integer.parseInt(args[++i]);
                    case "--operator-port" -> operatorPort = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option: " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Optional<RuntimeClientConfig> runtime;
        try {
            runtime = RuntimeClientConfig.fromLambdaVariable(env.string("LAMBDA", ""),
                    io.scaflow.local.emulator.RepoRoot.find(), Path.of("target", "run-runtime-client.log").toAbsolutePath());
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
                + "handler logs in " + (runtime.isPresent() ? "target/run-runtime-client.log (LAMBDA=runtime: each "
                + "function in its own JVM from .aws-sam/build, under Lambda's runtime interface client)" : handlerLog));
        LocalDeployment stack = LocalDeployment.start(Map.of(), external, SandboxConfig.defaults().withPort(sandboxPort),
                apiPort, runtime.orElse(null), sigv4);
        Path events = Path.of("target", "run-events.jsonl").toAbsolutePath();
        stack.eventBus().writeTo(events);
        OperatorServer operator;
        try {
            operator = OperatorServer.start(stack, events, operatorPort);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping the local stack");
            try {
                operator.close();
                stack.close();
            } finally {
                stopped.countDown();
            }
        }, "scaflow-run-shutdown"));
        System.out.println(banner(stack, operator));
        stopped.await();
    }

    static String banner(LocalDeployment stack, OperatorServer operator) {
        String api = stack.apiEndpoint().toString();
        StringBuilder out = new StringBuilder();
        out.append("\nscaflow is running (Ctrl-C stops it)\n");
        boolean signed = stack.apiGateway().checksSignatures();
        out.append("  API:            ").append(api).append(signed
                ? "  (SigV4 checked: sign with the local credentials, region " + LocalAws.REGION_ID + ")\n"
                : "  (no SigV4 check: make run SIGV4=1 checks signatures)\n");
        stack.apiGateway().routes().forEach(r -> out.append("                    ").append(r).append('\n'));
        stack.sandbox().ifPresentOrElse(
                s -> out.append("  Shine sandbox:  ").append(s.baseUrl()).append("  (the user's app: open ")
                        .append(s.baseUrl()).append("/ and click Confirm)\n"),
                () -> out.append("  Shine:          the API given by SHINE_API_BASE_URL\n"));
        out.append("  Operator page:  ").append(operator.pageUrl()).append("  (flows, timelines, reconciliation of "
                + "OUTCOME_UNKNOWN)\n");
        out.append("  Step Functions: ").append(stack.stepFunctions().endpoint()).append('\n');
        out.append("  moto:           ").append(stack.moto().endpoint()).append('\n');
        out.append("  status events:  target/run-events.jsonl  (one EventBridge event a line, as the bus delivers them)\n");
        out.append("\nStart a transfer:\n");
        String curl = signed ? "curl -s --aws-sigv4 'aws:amz:" + LocalAws.REGION_ID + ":execute-api' --user "
                + LocalAws.ACCESS_KEY_ID + ":" + LocalAws.SECRET_ACCESS_KEY + " " : "curl -s ";
        out.append("  ").append(curl).append("-X POST ").append(api)
                .append("/v1/transfers -H 'Content-Type: application/json' "
                + "-d '{\"uid\": \"USER_ID\", \"amount\": 234.50, \"bankTransferRecipientId\": \"RECIPIENT_ID\", "
                + "\"accessToken\": \"sandbox-access-token-USER_ID\"}'\n");
        out.append("then follow it:\n");
        out.append("  ").append(curl).append(api).append("/v1/actions/<id>\n");
        return out.toString();
    }
}
