package io.scaflow.local.userpath;

import io.scaflow.local.emulator.RepoRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code make} target of the repository run as a user runs it: its own process tree from the repository root, the
 * variables and environment given, output to a file under {@code local/target/user-paths/}.
 *
 * <p>One thing differs from a user's shell: {@code -o local/target/runtime-classpath.txt}, so that make does not
 * rebuild the classpath file (and recompile the classes this test JVM runs from) while the tests run; the Maven
 * build that runs the tests has just written it. The make variables of the parent {@code make test} are removed
 * from the environment, as in a fresh terminal.
 */
final class MakeTarget implements AutoCloseable {

    private static final String CLASSPATH_FILE = "local/target/runtime-classpath.txt";

    private final Process process;
    private final Path output;
    private final String name;

    private final Path errors;

    private MakeTarget(Process process, Path output, String name, Path errors) {
        this.process = process;
        this.output = output;
        this.name = name;
        this.errors = errors;
    }

    /**
     * Starts {@code make TARGET VARIABLES...} as {@link #start} does, its stdout and stderr kept apart:
     * {@link #output()} is stdout alone, {@link #errors()} stderr.
     */
    static MakeTarget startSeparated(String target, List<String> variables, Map<String, String> environment) {
        return start(target, variables, environment, true);
    }

    /** What the target printed on stderr (only for {@link #startSeparated}). */
    String errors() {
        try {
            return Files.readString(errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code make TARGET VARIABLES...} with {@code environment} added to this JVM's. */
    static MakeTarget start(String target, List<String> variables, Map<String, String> environment) {
        return start(target, variables, environment, false);
    }

    private static MakeTarget start(String target, List<String> variables, Map<String, String> environment,
                                    boolean separate) {
        Path root = RepoRoot.find();
        List<String> command = new ArrayList<>(List.of("make", "--no-print-directory", "-o", CLASSPATH_FILE, target));
        command.addAll(variables);
        Path output = root.resolve("local/target/user-paths/" + target + "-" + System.nanoTime() + ".log");
        try {
            Files.createDirectories(output.getParent());
            Path errors = separate ? Path.of(output + ".stderr") : null;
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectOutput(output.toFile());
            if (separate) {
                builder.redirectError(errors.toFile());
            } else {
                builder.redirectErrorStream(true);
            }
            Map<String, String> env = builder.environment();
            List.of("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "SHINE_API_BASE_URL", "SHINE_CLIENT_ID",
                    "SHINE_CLIENT_SECRET", "API_PORT", "SANDBOX_PORT", "OPERATOR_PORT", "SIGV4", "LAMBDA").forEach(env::remove);
            env.putAll(environment);
            return new MakeTarget(builder.start(), output, target, errors);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start make " + target, e);
        }
    }

    /** Waits until the output has a line containing {@code text}; fails if the process ends first or time runs out. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("make " + name + " ended (exit " + process.exitValue() + ") before printing \""
                        + text + "\":\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("make " + name + " did not print \"" + text + "\" within " + timeout + ":\n" + output());
    }

    /** Waits for the process to end and gives its exit value. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("make " + name + " did not end within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Everything printed so far. */
    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the whole tree as Ctrl-C's SIGTERM would: the JVM's shutdown hooks run, then make ends. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            for (ProcessHandle handle : tree) {
                handle.onExit().get(20, TimeUnit.SECONDS);
            }
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
