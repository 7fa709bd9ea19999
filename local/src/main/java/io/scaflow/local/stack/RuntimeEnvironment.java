package io.scaflow.local.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment: a JVM of its own running the Lambda runtime interface client on a function's
 * {@code sam build} output, talking to its own {@link RuntimeApi}. One invocation at a time, as in Lambda. It is
 * spent (and must be closed) after a timeout (the JVM is killed), a failed init or the runtime's exit.
 */
final class RuntimeEnvironment implements AutoCloseable {

    /** How the JVM is started: the command, its whole environment, its working directory (the task root). */
    record Launch(String function, List<String> command, Map<String, String> environment, Path taskRoot) {
    }

    /** Where the runtime's output (stdout and stderr, the function's logs) goes, line by line. */
    interface LogSink {
        void line(String function, String line);
    }

    private final String function;
    private final RuntimeApi api;
    private final Process process;
    private final long initLimitMillis;
    private volatile boolean spent;
    /** The invocation running now: a failed init or the runtime's exit ends it. */
    private volatile RuntimeApi.Invocation current;

    private RuntimeEnvironment(String function, RuntimeApi api, Process process, long initLimitMillis) {
        this.function = function;
        this.api = api;
        this.process = process;
        this.initLimitMillis = initLimitMillis;
        api.initError.thenAccept(error -> endCurrent());
        process.onExit().thenRun(this::endCurrent);
    }

    /** Ends the current invocation with the init error, or the runtime's exit, when either happened. */
    private void endCurrent() {
        RuntimeApi.Invocation invocation = current;
        if (invocation == null) {
            return;
        }
        if (api.initError.isDone()) {
            invocation.result.complete(api.initError.join());
        } else if (!process.isAlive()) {
            invocation.result.complete(HostedFunction.Outcome.failure("Runtime.ExitError", "RequestId: "
                    + invocation.requestId + " Error: Runtime exited with error: exit status " + process.exitValue()));
        }
    }

    /** Starts the JVM; its init runs while the first invocation is queued (as a cold start). */
    static RuntimeEnvironment start(Launch launch, LogSink logs, long initLimitMillis) {
        RuntimeApi api;
        try {
            api = new RuntimeApi("runtime-api-" + launch.function());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Runtime API for " + launch.function(), e);
        }
        ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(launch.taskRoot().toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(launch.environment());
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("cannot start the runtime JVM of " + launch.function(), e);
        }
        Thread pump = new Thread(() -> pump(process, launch.function(), logs), "runtime-log-" + launch.function());
        pump.setDaemon(true);
        pump.start();
        return new RuntimeEnvironment(launch.function(), api, process, initLimitMillis);
    }

    /**
     * One invocation, answered as Lambda answers it. With {@code enforceTimeout}, the function has
     * {@code timeoutMillis} from the moment the runtime takes the invocation (the deadline it is given); the init
     * before that has Lambda's init limit on top. Past it the JVM is killed: {@code Sandbox.Timedout}.
     */
    HostedFunction.Outcome invoke(byte[] payload, String requestId, String invokedArn, long timeoutMillis,
                                  boolean enforceTimeout) {
        RuntimeApi.Invocation invocation = new RuntimeApi.Invocation(requestId, invokedArn, payload, timeoutMillis);
        CompletableFuture<HostedFunction.Outcome> ended = invocation.result;
        current = invocation;
        endCurrent(); // the init failed, or the JVM ended, before this invocation came
        api.submit(invocation);
        boolean answered = false;
        try {
            if (enforceTimeout) {
                CompletableFuture.anyOf(invocation.delivered, ended).get(initLimitMillis + timeoutMillis,
                        TimeUnit.MILLISECONDS);
                if (!ended.isDone()) {
                    long left = invocation.delivered.join() - System.currentTimeMillis();
                    ended.get(Math.max(left, 0), TimeUnit.MILLISECONDS);
                }
            }
            HostedFunction.Outcome outcome = ended.get();
            answered = true;
            if (api.initError.isDone() || !process.isAlive()) {
                spent = true; // a failed init or the runtime's exit: this environment is gone
                api.abandon(invocation);
            }
            return outcome;
        } catch (TimeoutException e) {
            if (ended.isDone()) {
                answered = true;
                return ended.join(); // answered at the deadline
            }
            spent = true;
            api.abandon(invocation);
            kill();
            return HostedFunction.Outcome.failure("Sandbox.Timedout", String.format(Locale.ROOT,
                    "RequestId: %s Error: Task timed out after %.2f seconds", requestId, timeoutMillis / 1000.0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spent = true;
            api.abandon(invocation);
            return HostedFunction.Outcome.failure("Runtime.Interrupted", "the local Lambda service is stopping");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            current = null;
            if (!answered) {
                api.abandon(invocation);
            }
        }
    }

    /** Whether it can take another invocation (not spent, the JVM alive). */
    boolean usable() {
        return !spent && process.isAlive();
    }

    String function() {
        return function;
    }

    @Override
    public void close() {
        spent = true;
        kill();
        api.close();
    }

    private void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(Process process, String function, LogSink logs) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                logs.line(function, line);
            }
        } catch (IOException e) {
            // the process is gone
        }
    }
}
