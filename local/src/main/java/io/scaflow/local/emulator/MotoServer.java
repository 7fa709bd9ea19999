package io.scaflow.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * moto server (DynamoDB, Secrets Manager, ...) as a child process on a free 127.0.0.1 port.
 *
 * <p>Runs moto from {@code .venv} (installed by {@code make venv}) through {@code local/src/main/python/serialized_moto_server.py}, which handles one request at a time so that conditional writes are atomic as in DynamoDB. Its output goes
 * to {@link #logFile()} under {@code target/}, never to the console. {@link #close()} stops it; a shutdown hook stops
 * it too if the JVM exits first.
 *
 * <pre>{@code
 * try (MotoServer moto = MotoServer.start()) {
 *     DynamoDbClient dynamo = LocalAws.dynamoDb(moto.endpoint());
 *     ...
 * }
 * }</pre>
 */
public final class MotoServer implements AutoCloseable {
    private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String HOST = "127.0.0.1";

    private final Process process;
    private final URI endpoint;
    private final Path logFile;
    private final Thread shutdownHook;
    private final HttpClient http;
    private volatile boolean closed;

    private MotoServer(Process process, URI endpoint, Path logFile) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.shutdownHook = new Thread(this::stopProcess, "moto-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts moto server from the repository root found by {@link RepoRoot#find()}. */
    public static MotoServer start() {
        return start(RepoRoot.find());
    }

    /** Starts moto server from the given repository root; waits up to 60 s for it to answer. */
    public static MotoServer start(Path repoRoot) {
        return start(repoRoot, DEFAULT_STARTUP_TIMEOUT);
    }

    /**
     * Starts moto server from the given repository root and waits until it answers HTTP.
     *
     * @throws IllegalStateException when {@code .venv} has no moto_server ("run make venv"), or when the server
     *         exits or does not answer within {@code startupTimeout} (the message names the log file)
     */
    public static MotoServer start(Path repoRoot, Duration startupTimeout) {
        Path root = repoRoot.toAbsolutePath().normalize();
        Path executable = python(root);
        Path launcher = root.resolve("local/src/main/python/serialized_moto_server.py");
        int port = freePort();
        Path logDir = root.resolve("target").resolve("emulators");
        Path logFile = logDir.resolve("moto-server-" + port + ".log");
        Process process;
        try {
            Files.createDirectories(logDir);
            // moto's own moto_server lets two conditional writes on one item both pass when they race; the
            // launcher serializes requests so conditional writes are atomic, as in DynamoDB.
            List<String> command = new ArrayList<>(List.of(executable.toString(), launcher.toString(), HOST,
                    Integer.toString(port)));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            // moto itself needs no credentials; keep stray AWS settings of the caller out of its way.
            builder.environment().put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
            builder.environment().put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
            builder.environment().put("AWS_DEFAULT_REGION", LocalAws.REGION.id());
            builder.environment().put("PYTHONUNBUFFERED", "1");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        }
        MotoServer server = new MotoServer(process, URI.create("http://" + HOST + ":" + port), logFile);
        try {
            server.awaitReady(startupTimeout);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The server's base URI, e.g. {@code http://127.0.0.1:41234}: give it to the SDK's {@code endpointOverride}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The file receiving the server's output. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the server process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Drops every resource of every service (moto's {@code POST /moto-api/reset}). */
    public void reset() {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto reset answered HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto reset failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s). Idempotent. */
    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs (or ran) anyway
        }
    }

    private synchronized void stopProcess() {
        if (closed) {
            return;
        }
        closed = true;
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with code " + process.exitValue()
                        + " before answering; see " + logFile);
            }
            try {
                http.send(probe, HttpResponse.BodyHandlers.discarding());
                return; // any HTTP answer means it is serving
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto_server", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("moto_server did not answer on " + endpoint + " within " + timeout
                        + "; see " + logFile);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto_server", e);
            }
        }
    }

    private static Path python(Path root) {
        Path venv = root.resolve(".venv");
        List<Path> candidates = List.of(
                venv.resolve("bin").resolve("python"),
                venv.resolve("Scripts").resolve("python.exe"));
        if (!Files.isExecutable(venv.resolve("bin").resolve("moto_server"))
                && !Files.isExecutable(venv.resolve("Scripts").resolve("moto_server.exe"))) {
            throw new IllegalStateException("moto_server not found in " + venv
                    + ": run make venv (from " + root + ") to install the Python tools");
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("moto_server not found in " + venv
                + ": run make venv (from " + root + ") to install the Python tools");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
