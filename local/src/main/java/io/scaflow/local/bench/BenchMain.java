package io.scaflow.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.UserPolicy;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@code make bench}: cold starts, warm latency, package sizes, cost per flow and local throughput, measured in one
 * run on the local stack; one table on stdout, the same figures in {@code target/bench/bench.json}.
 *
 * <p>Options: {@code --cold-runs N} (5), {@code --cold-warm N} (10: warm invocations after each primed cold start,
 * see {@link ColdStart}), {@code --only cold} (cold starts and package sizes only), {@code --warmup N} (50),
 * {@code --invocations N} (300), {@code --flows N} (100), {@code --latency-flows N} (30), {@code --out DIR}
 * (target/bench), {@code --jdk25 DIR} (the JDK 25 the cold starts also run on, /usr/lib/jvm/temurin-25-jdk-amd64;
 * skipped when missing). Handler logs go to
 * {@code DIR/handlers.log}.
 */
public final class BenchMain {

    private static final String[] FUNCTIONS = {"CreateActionRequestFunction", "PollActionRequestFunction",
        "ExecuteActionFunction", "RecordFailureFunction", "ApiFunction", "ExecutionEndedFunction",
        "PublishStatusEventsFunction"};

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        long benchStarted = System.nanoTime();
        Map<String, String> options = options(args);
        int coldRuns = Integer.parseInt(options.getOrDefault("cold-runs", "5"));
        int coldWarm = Integer.parseInt(options.getOrDefault("cold-warm", "10"));
        boolean coldOnly = "cold".equals(options.get("only"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "50"));
        int invocations = Integer.parseInt(options.getOrDefault("invocations", "300"));
        int flows = Integer.parseInt(options.getOrDefault("flows", "100"));
        int latencyFlows = Integer.parseInt(options.getOrDefault("latency-flows", "30"));
        Path out = Path.of(options.getOrDefault("out", "target/bench")).toAbsolutePath();
        Files.createDirectories(out);

        PrintStream console = System.out;
        // the handlers log JSON lines on stdout (as in Lambda): keep them out of the table
        System.setOut(new PrintStream(new FileOutputStream(out.resolve("handlers.log").toFile()), true));

        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("startedAt", Instant.now().toString());
        ObjectNode machine = Machine.describe();
        machine.put("loadAverageAtStart", Machine.loadAverage());
        json.set("machine", machine);
        StringBuilder report = new StringBuilder();

        console.println("== bench: starting the local stack (moto, sandbox, Lambda, Step Functions)");
        try (BenchStack stack = new BenchStack()) {
            Map<String, Long> cutWaits = Map.of("WaitForUser", FlowCost.WAIT_MS, "WaitForRetryAfter", FlowCost.WAIT_MS);
            stack.stepFunctions.overrideWaitTimes(cutWaits);
            stack.stepFunctions.overrideRetryIntervals(Map.of("CreateActionRequest", 50L, "PollActionRequest", 50L,
                    "ExecuteAction", 50L, "RecordFailure", 50L));
            Path buildDir = stack.root.resolve(".aws-sam/build");
            Seeder seeder = new Seeder(stack);

            // 3. package size (first: cheap, and it fails early without sam build)
            StringBuilder sizes = new StringBuilder();
            json.set("packageSize", PackageSize.measure(buildDir, List.of(FUNCTIONS), sizes));

            // 1. cold start
            console.printf("== bench: cold starts, %d runs per handler%n", coldRuns);
            StringBuilder cold = new StringBuilder();
            ColdStart coldStart = new ColdStart(stack, buildDir, out, coldWarm);
            List<ColdStart.Target> targets = List.of(
                    new ColdStart.Target("hello-world", null, HelloHandler.class.getName(),
                            () -> Json.MAPPER.createObjectNode().put("hello", "world"), false),
                    new ColdStart.Target("sdk-floor (GetItem)", "RecordFailureFunction",
                            SdkFloorHandler.class.getName(),
                            () -> seeder.event("record-failure.json", seeder.awaitingFlow()), false),
                    new ColdStart.Target("CreateActionRequest", "CreateActionRequestFunction",
                            "io.scaflow.flow.CreateActionRequestHandler",
                            () -> seeder.event("create-action-request.json", Seeder.newFlowId("cold"))),
                    new ColdStart.Target("CreateActionRequest (API)", "CreateActionRequestFunction",
                            "io.scaflow.flow.CreateActionRequestHandler",
                            () -> Json.MAPPER.createObjectNode().put("flowId", seeder.pendingApiFlow())),
                    new ColdStart.Target("PollActionRequest", "PollActionRequestFunction",
                            "io.scaflow.flow.PollActionRequestHandler",
                            () -> seeder.event("poll-action-request.json", seeder.awaitingFlow())),
                    new ColdStart.Target("ExecuteAction", "ExecuteActionFunction",
                            "io.scaflow.flow.ExecuteActionHandler",
                            () -> seeder.event("execute-action.json", seeder.confirmedFlow())),
                    new ColdStart.Target("RecordFailure", "RecordFailureFunction",
                            "io.scaflow.flow.RecordFailureHandler",
                            () -> seeder.event("record-failure.json", seeder.awaitingFlow())),
                    new ColdStart.Target("Api GET action", "ApiFunction",
                            "io.scaflow.api.ApiHandler",
                            () -> seeder.apiGet(seeder.apiFlow())),
                    new ColdStart.Target("ExecutionEnded", "ExecutionEndedFunction",
                            "io.scaflow.flow.ExecutionEndedHandler",
                            () -> executionEnded(seeder, seeder.awaitingFlow())));
            json.set("coldStart", coldStart.run(targets, coldRuns, cold, console));
            json.with("coldStart").put("jvmFlags", String.join(" ", ColdStart.LAMBDA_JVM_OPTIONS) + " "
                    + stack.directEnv(FUNCTIONS[0]).getOrDefault("JAVA_TOOL_OPTIONS", ""));
            if (!ColdStart.PROBE_JVM_OPTIONS.isEmpty()) {   // a profiler's run: its times are not the figures
                json.with("coldStart").put("probeJvmOptions", String.join(" ", ColdStart.PROBE_JVM_OPTIONS));
            }
            // 1b. the same cold starts on JDK 25 (the java25 runtime), when this machine has it
            Path jdk25 = Path.of(options.getOrDefault("jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
            StringBuilder cold25 = new StringBuilder();
            if (Files.isExecutable(jdk25)) {
                console.printf("== bench: cold starts on %s, %d runs per handler%n", jdk25, coldRuns);
                Files.createDirectories(out.resolve("jdk25"));
                json.set("coldStartJdk25", new ColdStart(stack, buildDir, out.resolve("jdk25"), coldWarm, jdk25)
                        .run(targets, coldRuns, cold25, console));
                json.with("coldStartJdk25").put("java", jdk25.toString());
            } else {
                cold25.append("skipped: no ").append(jdk25).append(" (--jdk25 DIR)\n");
            }

            if (coldOnly) {
                report.append(String.format("%n1. cold start (--only cold): fresh JVM (%s), median of %d; prime = the "
                        + "snapshot's work, primed1st = first invocation after it, warmP50 = median of %d more%n",
                        json.path("coldStart").path("jvmFlags").asText(), coldRuns, coldWarm)).append(cold);
                report.append("\n1b. cold start on JDK 25, same method (ratio: to hello-world on JDK 25)\n").append(cold25);
                report.append("\n3. package size (.aws-sam/build/<Function>/)\n").append(sizes);
                Files.writeString(out.resolve("bench.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(json) + "\n");
                console.print(report);
                console.flush();
                System.exit(0);
            }

            // 2. warm latency
            console.printf("== bench: warm latency, %d warm-up + %d invocations per handler%n", warmup, invocations);
            StringBuilder warm = new StringBuilder();
            ObjectNode warmJson = new WarmLatency(stack, seeder).run(warmup, invocations, warm, console);
            json.set("warmLatency", warmJson);

            // 4. cost per flow
            console.println("== bench: cost per flow");
            Map<String, Double> durations = new LinkedHashMap<>();
            durations.put("CreateActionRequestFunction", warmJson.path("CreateActionRequest").path("p50Ms").asDouble());
            durations.put("PollActionRequestFunction",
                    warmJson.path("PollActionRequest (pending)").path("p50Ms").asDouble());
            durations.put("ExecuteActionFunction", warmJson.path("ExecuteAction").path("p50Ms").asDouble());
            durations.put("RecordFailureFunction", warmJson.path("RecordFailure").path("p50Ms").asDouble());
            StringBuilder cost = new StringBuilder();
            json.set("costPerFlow", new FlowCost(stack).run(List.of(
                    new FlowCost.Scenario("confirms after 5 s", UserPolicy.confirmAfter(5_000), null,
                            ExecutionStatus.SUCCEEDED),
                    new FlowCost.Scenario("confirms after 30 s", UserPolicy.confirmAfter(30_000), null,
                            ExecutionStatus.SUCCEEDED),
                    // a request living 120 s or more: Shine's documentation also says three minutes
                    new FlowCost.Scenario("confirms after 120 s", UserPolicy.confirmAfter(120_000),
                            Duration.ofMinutes(3), ExecutionStatus.SUCCEEDED),
                    new FlowCost.Scenario("never answers", UserPolicy.never(), null, ExecutionStatus.FAILED)),
                    durations, cost, console));

            // 4b. detection latency, with real waits
            console.printf("== bench: detection latency, %d flows with real waits%n", latencyFlows);
            StringBuilder latency = new StringBuilder();
            stack.stepFunctions.overrideWaitTimes(Map.of());
            io.scaflow.flow.FlowSettings cadence = io.scaflow.flow.FlowSettings.fromEnv(
                    new io.scaflow.config.Env(stack.directEnv("PollActionRequestFunction")));
            long firstPollMs = cadence.pollInterval().toMillis();
            json.set("detectionLatency", new DetectionLatency(stack).run(latencyFlows, 10, firstPollMs, 3_000,
                    cadence.fastPollPhase().toMillis() - firstPollMs, latency));
            stack.stepFunctions.overrideWaitTimes(cutWaits);

            // 5. throughput
            console.printf("== bench: throughput, %d flows%n", flows);
            StringBuilder throughput = new StringBuilder();
            json.set("throughput", new Throughput(stack).run(flows, 10, throughput));

            double seconds = (System.nanoTime() - benchStarted) / 1e9;
            machine.put("loadAverageAtEnd", Machine.loadAverage());
            json.put("benchSeconds", Stats.round(seconds, 1));

            report.append("\n=== scaflow bench ").append(json.path("startedAt").asText()).append('\n');
            report.append(String.format("machine: %d cores, %s, %s, %s; %s%n", machine.path("nproc").asInt(),
                    machine.path("cpu").asText(), machine.path("memory").asText(), machine.path("os").asText(),
                    machine.path("jdk").asText()));
            report.append(String.format("load average (1/5/15 min): %s at start, %s at end%n",
                    machine.path("loadAverageAtStart").asText(), machine.path("loadAverageAtEnd").asText()));
            report.append(String.format("%n1. cold start: fresh JVM (%s) to first response; median of %d, phases are "
                            + "medians; cpu = the process's CPU time (all threads), which load on the machine "
                            + "stretches less than the wall time; sdk-floor = a bare DynamoDB GetItem handler on "
                            + "the same jars; ratio = median / hello-world median; ×sdk = median / sdk-floor "
                            + "median; right of |, a second fresh JVM as "
                            + "SnapStart: prime = the snapshot's work, primed1st = first invocation after it, "
                            + "warmP50 = median of %d more in that JVM%n", json.path("coldStart")
                            .path("jvmFlags").asText(), coldRuns, coldWarm)).append(cold);
            report.append("\n1b. cold start on JDK 25, same method (ratio: to hello-world on JDK 25)\n").append(cold25);
            report.append(String.format("%n2. warm latency: %d invocations after %d warm-up, in one JVM; own = total - "
                    + "moto - Shine sandbox; (n) = calls per invocation%n", invocations, warmup)).append(warm);
            report.append("\n3. package size (.aws-sam/build/<Function>/)\n").append(sizes);
            report.append(String.format("%n4. cost per flow, %s prices of %s (%s): SFN Standard $%.3f/1k "
                            + "transitions (trans.), SFN Express $1.00/1M executions (exp.) + $%.8f/GB-s (exp GBs: "
                            + "64 MB units, duration rounded up to 100 ms), Lambda arm64 $%.10f/GB-s + $0.20/1M "
                            + "requests (1024 MB, billed duration = warm p50 above; last column: 200 ms per "
                            + "invocation, also added to each poll's Express time), DynamoDB on-demand $0.625/1M WRU, "
                            + "$0.125/1M RRU. Not priced: Secrets Manager calls (SM column), CloudWatch Logs, X-Ray, "
                            + "data transfer, storage, free tiers%n", FlowCost.PRICE_REGION, FlowCost.PRICE_DATE,
                    FlowCost.PRICE_SOURCE, FlowCost.SFN_PER_TRANSITION * 1000, FlowCost.EXPRESS_PER_GB_SECOND,
                    FlowCost.LAMBDA_ARM64_PER_GB_SECOND)).append(cost);
            report.append("\n4b. detection latency (confirmation at the sandbox to the transfer reaching it)\n")
                    .append(latency);
            report.append("\n5. local throughput\n").append(throughput);
            report.append(String.format("%nbench time: %.0f s; JSON: %s%n", seconds, out.resolve("bench.json")));
        }
        Files.writeString(out.resolve("bench.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(json) + "\n");
        console.print(report);
        console.flush();
        System.exit(0);
    }

    /** {@code events/execution-ended.json} for the flow {@code flowId} (the execution is named after it). */
    private static ObjectNode executionEnded(Seeder seeder, String flowId) {
        ObjectNode event = seeder.event("execution-ended.json", flowId);
        event.remove("flowId");
        ObjectNode detail = event.with("detail");
        detail.put("name", flowId);
        detail.put("executionArn", detail.path("executionArn").asText().replaceAll("[^:]+$", flowId));
        event.putArray("resources").add(detail.path("executionArn").asText());
        return event;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: BenchMain [--cold-runs N] [--cold-warm N] [--only cold] "
                        + "[--warmup N] [--invocations N] [--flows N] [--latency-flows N] [--out DIR] [--jdk25 DIR]");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
