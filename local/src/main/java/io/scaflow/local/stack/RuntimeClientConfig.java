package io.scaflow.local.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Where the local Lambda service's runtime-client mode finds what it runs ({@link LocalLambdaServiceBuilder#runtimeClient}):
 * the {@code sam build} output ({@code .aws-sam/build/<Function>/}), the Lambda Java runtime's jars (the runtime
 * interface client and its dependencies, which the build copies to {@code local/target/lambda-runtime/}), where the
 * functions' output goes, and Lambda's init limit (10 s).
 */
public final class RuntimeClientConfig {

    /** Lambda's limit on a function's init before the first invocation's own timeout starts counting it. */
    public static final Duration LAMBDA_INIT_LIMIT = Duration.ofSeconds(10);

    final Path buildDir;
    final Path runtimeJars;
    final RuntimeEnvironment.LogSink logs;
    final Duration initLimit;

    private RuntimeClientConfig(Path buildDir, Path runtimeJars, RuntimeEnvironment.LogSink logs, Duration initLimit) {
        this.buildDir = buildDir;
        this.runtimeJars = runtimeJars;
        this.logs = logs;
        this.initLimit = initLimit;
    }

    /**
     * {@code root/.aws-sam/build} and {@code root/local/target/lambda-runtime}; the functions' output written to
     * {@code logFile}, each line after {@code [FunctionName]}.
     */
    public static RuntimeClientConfig of(Path root, Path logFile) {
        return new RuntimeClientConfig(root.resolve(".aws-sam/build"), root.resolve("local/target/lambda-runtime"),
                fileSink(logFile), LAMBDA_INIT_LIMIT);
    }

    /**
     * The mode {@code make run} and {@code make demo} are asked for by the variable {@code LAMBDA}: empty or
     * {@code in-process} (the default) gives empty; {@code runtime} the runtime-client mode, the functions' output
     * written to {@code logFile} (emptied first); anything else is refused.
     */
    public static java.util.Optional<RuntimeClientConfig> fromLambdaVariable(String value, Path root, Path logFile) {
        return runtimeRequested(value) ? java.util.Optional.of(of(root, logFile)) : java.util.Optional.empty();
    }

    /** Whether {@code LAMBDA} asks for the runtime-client mode; a value other than the two is refused. */
    public static boolean runtimeRequested(String value) {
        if (value == null || value.isBlank() || value.equals("in-process")) {
            return false;
        }
        if (value.equals("runtime")) {
            return true;
        }
        throw new IllegalArgumentException("LAMBDA=" + value + ": expected in-process (the default) or runtime");
    }

    /** The same, the functions' output written to {@code stream} as is (make invoke: stderr). */
    public static RuntimeClientConfig of(Path root, PrintStream stream) {
        return new RuntimeClientConfig(root.resolve(".aws-sam/build"), root.resolve("local/target/lambda-runtime"),
                (function, line) -> stream.println(line), LAMBDA_INIT_LIMIT);
    }

    /** Another {@code sam build} output folder (the one holding a folder per function). */
    public RuntimeClientConfig withBuildDir(Path dir) {
        return new RuntimeClientConfig(dir, runtimeJars, logs, initLimit);
    }

    private static RuntimeEnvironment.LogSink fileSink(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
            return (function, line) -> stream.println("[" + function + "] " + line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
