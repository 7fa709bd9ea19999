package io.scaflow.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Cold starts: for each handler, a fresh JVM per run ({@link ColdStartProbe}) on the function's {@code sam build}
 * output, with the function's template environment pointing at moto and the sandbox, against a flow seeded in the
 * status the handler expects; the hello-world handler the same way as the floor. Each run also starts a second
 * fresh JVM as SnapStart would: construct and prime (the snapshot's work, {@code primeMs}), restore hooks
 * ({@code restoreMs}), the first invocation after them ({@code primedFirstInvokeMs}), then {@code warm} more
 * invocations on fresh flows in that JVM ({@code warmP50Ms}, their median). A second floor,
 * {@link SdkFloorHandler}, runs on RecordFailureFunction's package: the SDK and Jackson alone. The environment
 * variable {@code BENCH_PROBE_JVM_OPTIONS} adds JVM options to every probe (a class-loading log, a profiler agent).
 */
final class ColdStart {

    /**
     * A handler to start cold: its function (whose package and environment it runs with; null for hello world),
     * class, how to make its event, and whether it is one of scaflow's (only those are primed as SnapStart would).
     */
    record Target(String name, String function, String handlerClass, Supplier<ObjectNode> event, boolean scaflow) {
        /** One of scaflow's handlers, in its function. */
        Target(String name, String function, String handlerClass, Supplier<ObjectNode> event) {
            this(name, function, handlerClass, event, true);
        }
    }

    /**
     * What the Lambda Java runtime gives every JVM before the function's {@code JAVA_TOOL_OPTIONS}: the serial
     * garbage collector, its default on java17 and later (docs.aws.amazon.com/lambda/latest/dg/java-customization.html).
     */
    static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+UseSerialGC");

    /** {@code BENCH_PROBE_JVM_OPTIONS}, split at blanks: what a profiling run adds to every probe (empty: none). */
    static final List<String> PROBE_JVM_OPTIONS = System.getenv("BENCH_PROBE_JVM_OPTIONS") == null
            || System.getenv("BENCH_PROBE_JVM_OPTIONS").isBlank() ? List.of()
            : List.of(System.getenv("BENCH_PROBE_JVM_OPTIONS").trim().split(" +"));

    private final BenchStack stack;
    private final Path buildDir;
    private final Path work;
    private final Path probeClasses;
    private final Path javaBin;

    private final int warm;

    ColdStart(BenchStack stack, Path buildDir, Path work, int warm) {
        this(stack, buildDir, work, warm, Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** Cold starts on another JDK's {@code java} (the bench runs them on JDK 17 and, when there, JDK 25). */
    ColdStart(BenchStack stack, Path buildDir, Path work, int warm, Path java) {
        this.warm = warm;
        this.javaBin = java;
        this.stack = stack;
        this.buildDir = buildDir;
        this.work = work;
        this.probeClasses = work.resolve("probe-classes");
        copyProbeClasses();
    }

    ObjectNode run(List<Target> targets, int runs, StringBuilder table, java.io.PrintStream progress) {
        Map<String, List<long[]>> samples = new LinkedHashMap<>();
        Map<String, List<long[]>> primedSamples = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        targets.forEach(t -> samples.put(t.name(), new ArrayList<>()));
        targets.forEach(t -> primedSamples.put(t.name(), new ArrayList<>()));
        // round robin, so a burst of load on the machine hits every handler alike
        for (int r = 0; r < runs; r++) {
            for (Target target : targets) {
                try {
                    samples.get(target.name()).add(once(target, r));
                    if (target.scaflow()) {   // the floors have nothing to prime
                        primedSamples.get(target.name()).add(primed(target, r));
                    }
                } catch (RuntimeException e) {
                    errors.put(target.name(), e.getMessage());
                }
            }
            progress.printf("  cold start run %d/%d done (load %s)%n", r + 1, runs, Machine.loadAverage());
        }
        ObjectNode result = Json.MAPPER.createObjectNode();
        table.append(String.format("%-24s %9s  %-16s %8s %8s %8s %8s %8s %7s %6s | %8s %8s %8s %7s%n", "handler",
                "median", "min..max", "jvm", "load", "init", "invoke", "cpu", "ratio", "×sdk", "prime", "primed1st",
                "warmP50", "1st/p50"));
        double floor = Double.NaN;
        double sdkFloor = Double.NaN;
        for (Target target : targets) {
            if (samples.get(target.name()).isEmpty()) {
                continue;
            }
            if (target.function() == null) {
                floor = Stats.median(column(samples.get(target.name()), 0));
            } else if (!target.scaflow()) {
                sdkFloor = Stats.median(column(samples.get(target.name()), 0));
            }
        }
        for (Target target : targets) {
            List<long[]> s = samples.get(target.name());
            ObjectNode node = result.putObject(target.name());
            node.put("runs", s.size());
            if (errors.containsKey(target.name())) {
                node.put("error", errors.get(target.name()));
            }
            if (s.isEmpty()) {
                table.append(String.format("%-24s failed: %s%n", target.name(), errors.get(target.name())));
                continue;
            }
            double[] total = column(s, 0);
            double median = Stats.median(total);
            node.put("medianMs", Stats.round(median, 1));
            node.put("minMs", Stats.round(Stats.min(total), 1));
            node.put("maxMs", Stats.round(Stats.max(total), 1));
            node.put("jvmStartMs", Stats.round(Stats.median(column(s, 1)), 1));
            node.put("classLoadMs", Stats.round(Stats.median(column(s, 2)), 1));
            node.put("constructMs", Stats.round(Stats.median(column(s, 3)), 1));
            node.put("firstInvokeMs", Stats.round(Stats.median(column(s, 4)), 1));
            node.put("cpuMs", Stats.round(Stats.median(column(s, 5)), 1));
            double ratio = median / floor;
            node.put("ratioToHelloWorld", Stats.round(ratio, 2));
            if (target.scaflow() && !Double.isNaN(sdkFloor)) {   // what scaflow's own start adds to the SDK's
                node.put("ratioToSdkFloor", Stats.round(median / sdkFloor, 2));
            }
            node.putPOJO("allMs", java.util.Arrays.stream(total).map(v -> Stats.round(v, 1)).toArray());
            String snap = "";
            List<long[]> p = primedSamples.get(target.name());
            if (!p.isEmpty()) {
                double prime = Stats.median(column(p, 0));
                double primedFirst = Stats.median(column(p, 2));
                double warmP50 = Stats.median(column(p, 3));
                node.put("primeMs", Stats.round(prime, 1));
                node.put("restoreMs", Stats.round(Stats.median(column(p, 1)), 1));
                node.put("primedFirstInvokeMs", Stats.round(primedFirst, 1));
                node.put("warmP50Ms", Stats.round(warmP50, 1));
                node.put("warmInvocations", warm);
                node.put("ratioPrimedToWarm", Stats.round(primedFirst / warmP50, 2));
                node.putPOJO("primedFirstInvokeAllMs", java.util.Arrays.stream(column(p, 2))
                        .map(v -> Stats.round(v, 1)).toArray());
                snap = String.format(" | %5.0f ms %6.0f ms %5.0f ms %6.1fx", prime, primedFirst, warmP50,
                        primedFirst / warmP50);
            }
            String toSdk = node.has("ratioToSdkFloor")
                    ? String.format("%5.1fx", node.path("ratioToSdkFloor").asDouble()) : "      ";
            table.append(String.format("%-24s %6.0f ms  %-16s %5.0f ms %5.0f ms %5.0f ms %5.0f ms %5.0f ms %6.1fx %s%s",
                    target.name(), median, String.format("%.0f..%.0f ms", Stats.min(total), Stats.max(total)),
                    Stats.median(column(s, 1)), Stats.median(column(s, 2)), Stats.median(column(s, 3)),
                    Stats.median(column(s, 4)), Stats.median(column(s, 5)), ratio, toSdk, snap).stripTrailing())
                    .append('\n');
        }
        return result;
    }

    /** One cold start: {total, jvm start, class load, construct, first invoke, process CPU time} in µs. */
    private long[] once(Target target, int run) {
        Map<String, String> fields = probe(target, run, "unprimed", 1);
        long spawned = Long.parseLong(fields.get("spawned"));
        long main = Long.parseLong(fields.get("main"));
        long loaded = Long.parseLong(fields.get("loaded"));
        long constructed = Long.parseLong(fields.get("constructed"));
        long invoked = Long.parseLong(fields.get("invoked"));
        return new long[] {invoked - spawned, main - spawned, loaded - main, constructed - loaded,
            invoked - constructed, Long.parseLong(fields.get("cpu"))};
    }

    /** One SnapStart-like start: {prime, restore hooks, first invoke after them, warm p50} in µs. */
    private long[] primed(Target target, int run) {
        Map<String, String> fields = probe(target, run, "primed", 1 + warm);
        long constructed = Long.parseLong(fields.get("constructed"));
        long primedAt = Long.parseLong(fields.get("primed"));
        long restored = Long.parseLong(fields.get("restored"));
        long invoked = Long.parseLong(fields.get("invoked"));
        double[] warmMicros = java.util.Arrays.stream(fields.get("warm").split(",")).filter(v -> !v.isEmpty())
                .mapToDouble(Double::parseDouble).toArray();
        if (warmMicros.length == 0) {
            throw new IllegalStateException(target.name() + ": the primed probe made no warm invocation");
        }
        return new long[] {primedAt - constructed, restored - primedAt, invoked - restored,
            (long) Stats.median(warmMicros)};
    }

    /** Runs the probe in {@code mode} on {@code events} fresh events; its fields, with {@code spawned}. */
    private Map<String, String> probe(Target target, int run, String mode, int events) {
        try {
            List<String> command = new ArrayList<>(List.of(javaBin.toString()));
            command.addAll(LAMBDA_JVM_OPTIONS);
            command.addAll(PROBE_JVM_OPTIONS);
            command.addAll(List.of("-cp", classpath(target), ColdStartProbe.class.getName(), target.handlerClass(), mode));
            for (int i = 0; i < events; i++) {
                Path event = work.resolve("cold-events").resolve(target.name() + "-" + mode + "-" + run + "-" + i
                        + ".json");
                Files.createDirectories(event.getParent());
                Files.write(event, Json.MAPPER.writeValueAsBytes(target.event().get()));
                command.add(event.toString());
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(work.resolve("cold-" + target.name() + "-" + mode + ".log").toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("LANG"));
            Map<String, String> functionEnv = stack.directEnv(target.function() != null ? target.function()
                    : "CreateActionRequestFunction");
            if (target.function() != null) {
                env.putAll(functionEnv);
            }
            env.put("JAVA_TOOL_OPTIONS", functionEnv.getOrDefault("JAVA_TOOL_OPTIONS", ""));
            long spawned = micros();
            Process process = builder.start();
            String line = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    if (l.startsWith("PROBE ")) {
                        line = l;
                    }
                }
            }
            process.waitFor();
            if (line == null) {
                throw new IllegalStateException(target.name() + ": the probe printed nothing (see "
                        + work.resolve("cold-" + target.name() + "-" + mode + ".log") + ")");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String part : line.substring(6).split(" ", 10)) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    fields.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            if (!"true".equals(fields.get("ok"))) {
                throw new IllegalStateException(target.name() + " (" + mode + "): " + line);
            }
            fields.put("spawned", Long.toString(spawned));
            return fields;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String classpath(Target target) {
        List<String> entries = new ArrayList<>();
        entries.add(probeClasses.toString());
        if (target.function() != null) {
            Path dir = buildDir.resolve(target.function());
            entries.add(dir.toString());
            entries.add(dir.resolve("lib").toString() + "/*");
        } else {
            entries.add(lambdaCoreJar().toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private Path lambdaCoreJar() {
        try (Stream<Path> jars = Files.list(buildDir.resolve("CreateActionRequestFunction").resolve("lib"))) {
            return jars.filter(p -> p.getFileName().toString().matches("(com\\.amazonaws\\.)?aws-lambda-java-core-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no aws-lambda-java-core jar in " + buildDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] column(List<long[]> samples, int index) {
        return samples.stream().mapToDouble(s -> s[index] / 1000.0).toArray();
    }

    private static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** The probe and the hello-world handler alone in a folder, so nothing else of this module is on the path. */
    private void copyProbeClasses() {
        Path dir = probeClasses.resolve("io/scaflow/local/bench");
        try {
            Files.createDirectories(dir);
            for (String name : List.of("ColdStartProbe", "ColdStartProbe$ProbeContext", "ColdStartProbe$ProbeContext$1",
                    "HelloHandler", "SdkFloorHandler")) {
                try (InputStream in = ColdStart.class.getResourceAsStream(name + ".class")) {
                    if (in == null) {
                        throw new IllegalStateException("class file not found: " + name);
                    }
                    Files.write(dir.resolve(name + ".class"), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
