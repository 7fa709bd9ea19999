package io.scaflow.local.stack;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.scaflow.local.emulator.LocalAws;

/**
 * The Node 22 process running {@code local/src/main/node/sfn-runner.mjs}: writes commands to its stdin, reads JSON
 * lines from its stdout on a daemon thread and hands every message but {@code ready}/{@code prepared} to a listener.
 * Its stderr goes to a log file.
 */
final class SfnRunner implements AutoCloseable {
    static final String SCRIPT = "local/src/main/node/sfn-runner.mjs";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectMapper mapper;
    private final Process process;
    private final BufferedWriter stdin;
    private final Path logFile;
    private final Consumer<JsonNode> listener;
    private final Runnable onExit;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Map<String, CompletableFuture<JsonNode>> prepared = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final Duration startupTime;
    private volatile boolean closed;

    private SfnRunner(ObjectMapper mapper, Process process, Path logFile, Consumer<JsonNode> listener,
            Runnable onExit, long startedNanos) {
        this.mapper = mapper;
        this.process = process;
        this.logFile = logFile;
        this.listener = listener;
        this.onExit = onExit;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(this::readLoop, "sfn-runner-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            String node = ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!node.startsWith("v22.") && !node.matches("v(2[3-9]|[3-9]\\d)\\..*")) {
                throw new IllegalStateException("the Step Functions runner runs on Node " + node
                        + ": aws-local-stepfunctions needs Node 22 or newer (run make node)");
            }
        } catch (TimeoutException e) {
            destroy();
            throw new IllegalStateException("the Step Functions runner did not start within " + READY_TIMEOUT
                    + "; see " + logFile);
        } catch (ExecutionException e) {
            destroy();
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Step Functions runner", e);
        }
        this.startupTime = Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /**
     * Spawns {@code node_modules/.bin/node local/src/main/node/sfn-runner.mjs} from {@code repoRoot}, with Lambda
     * calls sent to {@code lambdaEndpoint}; returns once the runner has loaded the library.
     */
    static SfnRunner start(Path repoRoot, URI lambdaEndpoint, ObjectMapper mapper, Consumer<JsonNode> listener,
            Runnable onExit) {
        Path root = repoRoot.toAbsolutePath().normalize();
        Path node = root.resolve("node_modules").resolve(".bin").resolve("node");
        Path library = root.resolve("node_modules").resolve("aws-local-stepfunctions");
        if (!Files.isExecutable(node) || !Files.isDirectory(library)) {
            throw new IllegalStateException("Node 22 or aws-local-stepfunctions not found in " + root.resolve("node_modules")
                    + ": run make node (from " + root + ") to install the Node tools");
        }
        Path script = root.resolve(SCRIPT);
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("missing " + script);
        }
        Path logDir = root.resolve("target").resolve("emulators");
        long startedNanos = System.nanoTime();
        Process process;
        Path logFile;
        try {
            Files.createDirectories(logDir);
            logFile = Files.createTempFile(logDir, "sfn-runner-", ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(node.toString(), script.toString()))
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.to(logFile.toFile()));
            Map<String, String> env = builder.environment();
            // Keep the caller's AWS settings (profiles, real endpoints, session tokens) away from the engine.
            env.keySet().removeIf(key -> key.startsWith("AWS_"));
            env.remove("NODE_OPTIONS");
            env.put("AWS_ENDPOINT_URL_LAMBDA", lambdaEndpoint.toString());
            env.put("AWS_MAX_ATTEMPTS", "1");
            env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
            env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
            env.put("AWS_REGION", LocalAws.REGION_ID);
            env.put("AWS_DEFAULT_REGION", LocalAws.REGION_ID);
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + node + " " + script, e);
        }
        return new SfnRunner(mapper, process, logFile, listener, onExit, startedNanos);
    }

    Duration startupTime() {
        return startupTime;
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Validates the definition in the engine and caches it there; returns the engine's message when invalid. */
    String prepare(String definition, Duration timeout) {
        String requestId = Long.toString(requestIds.incrementAndGet());
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        prepared.put(requestId, answer);
        ObjectNode command = mapper.createObjectNode().put("type", "prepare").put("requestId", requestId)
                .put("definition", definition);
        try {
            send(command);
            JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return reply.path("ok").asBoolean() ? null : reply.path("message").asText("invalid definition");
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Step Functions runner did not validate the definition within "
                    + timeout + "; see " + logFile);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            prepared.remove(requestId);
        }
    }

    /** Writes one command line. */
    synchronized void send(ObjectNode command) {
        if (closed || !process.isAlive()) {
            throw new IllegalStateException("the Step Functions runner is not running; see " + logFile);
        }
        try {
            stdin.write(mapper.writeValueAsString(command));
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the Step Functions runner; see " + logFile, e);
        }
    }

    private void readLoop() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode message;
                try {
                    message = mapper.readTree(line);
                } catch (IOException e) {
                    continue; // not a protocol line; the runner writes nothing else to stdout
                }
                switch (message.path("type").asText()) {
                    case "ready" -> ready.complete(message.path("node").asText());
                    case "prepared" -> {
                        CompletableFuture<JsonNode> answer = prepared.get(message.path("requestId").asText());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                    default -> {
                        try {
                            listener.accept(message);
                        } catch (RuntimeException e) {
                            // one bad message must not stop the reader
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process went away
        } finally {
            String why = "the Step Functions runner exited" + exitCode() + "; see " + logFile;
            ready.completeExceptionally(new IllegalStateException(why));
            prepared.values().forEach(f -> f.completeExceptionally(new IllegalStateException(why)));
            if (!closed) {
                onExit.run();
            }
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? " with code " + process.exitValue() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        closed = true;
        destroy();
    }

    private synchronized void destroy() {
        try {
            stdin.close(); // the runner exits when its stdin closes
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
