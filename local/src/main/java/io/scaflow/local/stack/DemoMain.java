package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.config.Env;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.StatusChange;
import io.scaflow.log.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@code make demo}: one transfer flow through the whole local stack, each status change printed as it happens.
 * Exits 0 when the flow ends as the simulated user's choice says it should (SUCCEEDED, REJECTED or EXPIRED).
 */
public final class DemoMain {

    private static final String USAGE = """
            usage: make demo [ARGS="--user confirm|reject|never --confirm-after-ms N --uid U --amount A
                                     --recipient R --access-token T"]
              --user               what the sandbox's simulated user does (default confirm); the outcome expected
              --confirm-after-ms   how long the user takes to answer (default 3000)
              --uid, --amount, --recipient, --access-token   the transfer (sandbox defaults)
            SHINE_API_BASE_URL, SHINE_CLIENT_ID, SHINE_CLIENT_SECRET point the flow at another Shine API.
            LAMBDA=runtime runs each function in its own JVM from its sam build output (default: in-process).""";

    private DemoMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options;
        try {
            options = parse(args);
            RuntimeClientConfig.runtimeRequested(Env.system().string("LAMBDA", ""));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options) ? 0 : 1);
    }

    private static boolean run(Map<String, String> options) throws InterruptedException {
        String userChoice = options.getOrDefault("user", "confirm");
        String uid = options.getOrDefault("uid", "demo-user");
        BigDecimal amount = new BigDecimal(options.getOrDefault("amount", "234.50"));
        String recipient = options.getOrDefault("recipient", "demo-recipient");
        long answerAfter = Long.parseLong(options.getOrDefault("confirm-after-ms", "3000"));
        Optional<LocalDeployment.ExternalShine> external = LocalDeployment.ExternalShine.fromEnv(Env.system());
        Optional<RuntimeClientConfig> runtime = RuntimeClientConfig.fromLambdaVariable(
                Env.system().string("LAMBDA", ""), io.scaflow.local.emulator.RepoRoot.find(),
                Path.of("target", "demo-runtime-client.log").toAbsolutePath());
        boolean never = "never".equals(userChoice);
        Map<String, String> parameters = never ? Map.of("MaxAttempts", "2") : Map.of();
        SandboxConfig sandbox = SandboxConfig.defaults().withPort(0)
                .withActionRequestLifetime(Duration.ofSeconds(never ? 6 : 60));

        long startedAt = System.nanoTime();
        Path handlerLog = Path.of("target", "demo-handlers.log").toAbsolutePath();
        try {
            Files.createDirectories(handlerLog.getParent());
            Log.redirect(new PrintStream(Files.newOutputStream(handlerLog), true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        say(startedAt, "starting the local stack (moto, " + external.map(e -> "Lambda, Step Functions; Shine at "
                + e.baseUrl()).orElse("Shine sandbox, Lambda, Step Functions") + "); handler logs in "
                + (runtime.isPresent() ? "target/demo-runtime-client.log (LAMBDA=runtime: each function in its own "
                + "JVM from .aws-sam/build)" : handlerLog));
        try (LocalDeployment stack = LocalDeployment.start(parameters, external, sandbox, 0, runtime.orElse(null), Optional.empty())) {
            Path events = Path.of("target", "run-events.jsonl").toAbsolutePath();
            stack.eventBus().writeTo(events);
            stack.sandbox().ifPresent(s -> s.setPolicy(uid, switch (userChoice) {
                case "confirm" -> UserPolicy.confirmAfter(answerAfter);
                case "reject" -> UserPolicy.rejectAfter(answerAfter);
                default -> UserPolicy.never();
            }));
            String accessToken = options.getOrDefault("access-token",
                    stack.sandbox().map(s -> s.accessTokenOf(uid)).orElse(null));
            if (accessToken == null) {
                System.err.println("--access-token is required with an external Shine API");
                return false;
            }
            String flowId = "demo-" + UUID.randomUUID();
            ObjectNode input = Json.MAPPER.createObjectNode()
                    .put("action", "bank:transfers:create")
                    .put("uid", uid)
                    .put("accessTokenSecretId", stack.resources().putUserAccessToken(uid, accessToken));
            input.putObject("payload").put("amount", amount).put("bankTransferRecipientId", recipient).put("uid", uid);
            String user = external.isPresent() ? "the user answers in Shine's app"
                    : never ? "the simulated user will never answer"
                    : "the simulated user will " + userChoice + " after " + answerAfter + " ms";
            say(startedAt, "stack ready; starting flow " + flowId + ": transfer of " + amount.toPlainString()
                    + " to " + recipient + " for " + uid + " (" + user + ")");
            String executionArn = stack.sfn().startExecution(b -> b.stateMachineArn(stack.stateMachineArn())
                    .name(flowId).input(input.toString())).executionArn();

            DescribeExecutionResponse execution = follow(stack, executionArn, flowId, startedAt);
            Flow flow = stack.store().get(flowId);
            say(startedAt, "execution " + execution.statusAsString()
                    + (execution.error() == null ? "" : " (" + execution.error() + ")"));
            if (flow.result() != null) {
                say(startedAt, "Shine's transfer result: " + flow.result());
            }
            if (flow.error() != null) {
                say(startedAt, "error: " + flow.error().code() + ": " + flow.error().message());
            }
            FlowStatus expected = switch (userChoice) {
                case "reject" -> FlowStatus.REJECTED;
                case "never" -> FlowStatus.EXPIRED;
                default -> FlowStatus.SUCCEEDED;
            };
            int published = stack.eventBus().awaitEnd(flowId, Duration.ofSeconds(30)).size();
            say(startedAt, published + " status events of the flow on the bus, in " + events);
            boolean asExpected = flow.status() == expected;
            say(startedAt, asExpected ? "done: the flow ended " + expected + " as expected"
                    : "the flow ended " + flow.status() + ", expected " + expected);
            return asExpected;
        }
    }

    private static DescribeExecutionResponse follow(LocalDeployment stack, String executionArn, String flowId,
                                                    long startedAt) throws InterruptedException {
        int printed = 0;
        boolean reminderShown = false;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(15));
        while (Instant.now().isBefore(deadline)) {
            DescribeExecutionResponse execution = stack.sfn().describeExecution(b -> b.executionArn(executionArn));
            Optional<Flow> flow = stack.store().find(flowId);
            if (flow.isPresent()) {
                List<StatusChange> history = flow.get().history();
                for (; printed < history.size(); printed++) {
                    StatusChange change = history.get(printed);
                    say(startedAt, String.format("%-22s %s", change.status(), change.reason()));
                }
                if (flow.get().reminderDue() && !reminderShown) {
                    reminderShown = true;
                    say(startedAt, "reminder due: ask the user to confirm in Shine's app");
                }
            }
            if (execution.status() != ExecutionStatus.RUNNING) {
                return execution;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the flow did not end within 15 minutes");
    }

    private static void say(long startedAt, String line) {
        System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - startedAt) / 1e9, line);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> known = List.of("user", "confirm-after-ms", "uid", "amount", "recipient", "access-token");
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option: " + args[i]);
            }
            options.put(name, args[++i]);
        }
        if (!List.of("confirm", "reject", "never").contains(options.getOrDefault("user", "confirm"))) {
            throw new IllegalArgumentException("--user must be confirm, reject or never");
        }
        try {
            new BigDecimal(options.getOrDefault("amount", "1"));
            Long.parseLong(options.getOrDefault("confirm-after-ms", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--amount and --confirm-after-ms must be numbers");
        }
        return options;
    }
}
