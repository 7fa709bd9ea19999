package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.Stream;

/**
 * The local Lambda service's runtime-client mode: each function runs as Lambda's Java runtime runs it, in JVMs of
 * its own (one per concurrent invocation, reused while warm, as execution environments are), started as
 * {@code java -cp <artifact>:<artifact>/lib/*:<runtime jars> com.amazonaws.services.lambda.runtime.api.client.AWSLambda
 * <Handler>} from the function's {@code sam build} output, in that folder (the task root), with its template
 * environment, Lambda's reserved variables and heap sizes from its MemorySize.
 */
final class RuntimeClientFunctions implements AutoCloseable {

    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String RIC_JAR = "aws-lambda-java-runtime-interface-client-";

    private final Map<String, RuntimeEnvironment.Launch> launches;
    private final RuntimeClientConfig config;
    private final Map<String, ConcurrentLinkedDeque<RuntimeEnvironment>> idle = new ConcurrentHashMap<>();
    private final Set<RuntimeEnvironment> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RuntimeClientFunctions(Map<String, RuntimeEnvironment.Launch> launches, RuntimeClientConfig config) {
        this.launches = launches;
        this.config = config;
        launches.keySet().forEach(name -> idle.put(name, new ConcurrentLinkedDeque<>()));
    }

    /**
     * Checks that every function has its {@code sam build} output and that the runtime's jars are there (failing
     * with what is missing and how to make it), and prepares each function's command and environment.
     *
     * @param variables each function's environment as the in-process mode gives it (template values resolved,
     *                  then the local overrides: emulator endpoints, region, dummy credentials)
     */
    static RuntimeClientFunctions create(SamTemplate template, RuntimeClientConfig config,
                                         Map<String, Map<String, String>> variables) {
        List<Path> runtimeJars = runtimeJars(config.runtimeJars);
        Optional<Path> nativeLibrary = RuntimeNativeLibrary.unpack(runtimeJars);
        Map<String, RuntimeEnvironment.Launch> launches = new LinkedHashMap<>();
        for (SamTemplate.Function function : template.functions().values()) {
            Path artifact = config.buildDir.resolve(function.logicalId()).toAbsolutePath().normalize();
            if (!Files.isDirectory(artifact)) {
                throw new IllegalStateException("runtime client mode: no sam build output for "
                        + function.logicalId() + " (" + artifact + " is missing): run `make sam-build` first");
            }
            int memory = memorySize(template, function.logicalId());
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            command.addAll(heapOptions(memory));
            nativeLibrary.ifPresent(library -> command.add("-D" + RuntimeNativeLibrary.PROPERTY + "=" + library));
            List<String> classpath = new ArrayList<>(List.of(artifact.toString(), artifact.resolve("lib") + "/*"));
            runtimeJars.forEach(jar -> classpath.add(jar.toString()));
            command.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), MAIN_CLASS, function.handler()));
            Map<String, String> env = new LinkedHashMap<>(reserved(template, function, memory, artifact,
                    config.runtimeJars.toAbsolutePath()));
            env.putAll(variables.getOrDefault(function.logicalId(), Map.of()));
            launches.put(function.logicalId(), new RuntimeEnvironment.Launch(function.logicalId(), List.copyOf(command),
                    Map.copyOf(env), artifact));
        }
        return new RuntimeClientFunctions(launches, config);
    }

    /** One invocation of {@code function} in a warm environment, or a new one (a cold start). */
    HostedFunction.Outcome invoke(SamTemplate.Function function, byte[] payload, String requestId, String invokedArn,
                                  boolean enforceTimeout) {
        if (closed) {
            return HostedFunction.Outcome.failure("Runtime.Interrupted", "the local Lambda service is stopping");
        }
        ConcurrentLinkedDeque<RuntimeEnvironment> warm = idle.get(function.logicalId());
        RuntimeEnvironment environment = warm.pollFirst();
        while (environment != null && !environment.usable()) {
            discard(environment);
            environment = warm.pollFirst();
        }
        if (environment == null) {
            environment = RuntimeEnvironment.start(launches.get(function.logicalId()), config.logs,
                    config.initLimit.toMillis());
            all.add(environment);
        }
        HostedFunction.Outcome outcome = environment.invoke(payload, requestId, invokedArn,
                function.timeoutSeconds() * 1000L, enforceTimeout);
        if (environment.usable() && !closed) {
            warm.addFirst(environment);
        } else {
            discard(environment);
        }
        return outcome;
    }

    /** The command and environment a function's JVM is started with (for tests and docs). */
    RuntimeEnvironment.Launch launch(String function) {
        return launches.get(function);
    }

    @Override
    public void close() {
        closed = true;
        all.forEach(RuntimeEnvironment::close);
        all.clear();
        idle.values().forEach(ConcurrentLinkedDeque::clear);
    }

    private void discard(RuntimeEnvironment environment) {
        environment.close();
        all.remove(environment);
    }

    /**
     * Heap, metaspace and code cache as Lambda's Java runtime sizes them from the function's memory (85 %, 10 %,
     * 5 %), with the serial collector it uses.
     */
    static List<String> heapOptions(int memoryMb) {
        long kb = memoryMb * 1024L;
        return List.of("-XX:MaxHeapSize=" + Math.round(kb * 0.85) + "k",
                "-XX:MaxMetaspaceSize=" + Math.round(kb * 0.10) + "k",
                "-XX:ReservedCodeCacheSize=" + Math.round(kb * 0.05) + "k",
                "-XX:+UseSerialGC", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true");
    }

    /** The function's MemorySize, else Globals.Function's, else Lambda's default (128). */
    static int memorySize(SamTemplate template, String logicalId) {
        JsonNode own = template.root().path("Resources").path(logicalId).path("Properties").path("MemorySize");
        JsonNode global = template.root().path("Globals").path("Function").path("MemorySize");
        return own.canConvertToInt() ? own.asInt() : global.canConvertToInt() ? global.asInt() : 128;
    }

    /** What Lambda sets in every execution environment (before the function's own variables). */
    private static Map<String, String> reserved(SamTemplate template, SamTemplate.Function function, int memory,
                                                Path artifact, Path runtimeDir) {
        JsonNode own = template.root().path("Resources").path(function.logicalId()).path("Properties").path("Runtime");
        String runtime = own.isTextual() ? own.asText()
                : template.root().path("Globals").path("Function").path("Runtime").asText("java21");
        Map<String, String> env = new LinkedHashMap<>();
        String path = System.getenv("PATH");
        env.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("_HANDLER", function.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.logicalId());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/[$LATEST]runtime-client");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("LAMBDA_TASK_ROOT", artifact.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        return env;
    }

    private static List<Path> runtimeJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("runtime client mode: the Lambda runtime's jars are not in " + dir
                    + " (local's Maven build copies them there: ./mvnw -pl local -am compile)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
                    .map(p -> p.toAbsolutePath().normalize()).toList();
            // the runtime interface client first, then its dependencies
            List<Path> ordered = new ArrayList<>(jars.stream().filter(p -> p.getFileName().toString()
                    .startsWith(RIC_JAR)).toList());
            if (ordered.isEmpty()) {
                throw new IllegalStateException("runtime client mode: no " + RIC_JAR + "*.jar in " + dir);
            }
            jars.stream().filter(p -> !ordered.contains(p)).forEach(ordered::add);
            return ordered;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
