package io.scaflow.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.UserPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Local throughput: N flows started at once through the SfnClient, every user confirming at once (sandbox policy
 * confirmAfter 0), WaitForUser cut to a few ms. Flow duration = the execution's stopDate − startDate.
 */
final class Throughput {

    private final BenchStack stack;

    Throughput(BenchStack stack) {
        this.stack = stack;
    }

    ObjectNode run(int flows, long waitMs, StringBuilder table) throws Exception {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            String uid = "tp-" + i + "-" + Seeder.newFlowId("u").substring(2, 8);
            stack.sandbox.registerUser(uid, null);
            stack.sandbox.setPolicy(uid, UserPolicy.confirmAfter(0));
            String secretId = stack.resources.putUserAccessToken(uid, stack.sandbox.accessTokenOf(uid));
            ObjectNode input = Json.MAPPER.createObjectNode().put("action", "bank:transfers:create").put("uid", uid);
            input.putObject("payload").put("amount", new BigDecimal("12.30"))
                    .put("bankTransferRecipientId", "recipient-" + uid).put("uid", uid);
            input.put("accessTokenSecretId", secretId);
            inputs.add(input.toString());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<String> arns = new ArrayList<>();
        long started = System.nanoTime();
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (String input : inputs) {
                futures.add(pool.submit(() -> stack.sfn.startExecution(b -> b.stateMachineArn(stack.stateMachineArn)
                        .name(Seeder.newFlowId("tp")).input(input)).executionArn()));
            }
            for (Future<String> f : futures) {
                arns.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        Map<String, DescribeExecutionResponse> ends = new HashMap<>();
        long deadline = started + 300_000_000_000L;
        while (ends.size() < arns.size()) {
            for (String arn : arns) {
                if (!ends.containsKey(arn)) {
                    DescribeExecutionResponse d = stack.sfn.describeExecution(b -> b.executionArn(arn));
                    if (d.status() != ExecutionStatus.RUNNING) {
                        ends.put(arn, d);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(ends.size() + " of " + arns.size() + " flows ended in 300 s");
            }
            FlowCost.sleep(100);
        }
        double wallSeconds = (System.nanoTime() - started) / 1e9;
        Instant first = ends.values().stream().map(DescribeExecutionResponse::startDate).min(Instant::compareTo)
                .orElseThrow();
        Instant last = ends.values().stream().map(DescribeExecutionResponse::stopDate).max(Instant::compareTo)
                .orElseThrow();
        double makespan = (last.toEpochMilli() - first.toEpochMilli()) / 1000.0;
        double[] durations = ends.values().stream()
                .mapToDouble(d -> d.stopDate().toEpochMilli() - d.startDate().toEpochMilli()).toArray();
        long succeeded = ends.values().stream().filter(d -> d.status() == ExecutionStatus.SUCCEEDED).count();
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("flows", flows);
        node.put("succeeded", succeeded);
        node.put("waitForUserMs", waitMs);
        node.put("firstStartToLastStopSeconds", Stats.round(makespan, 3));
        node.put("flowsPerSecond", Stats.round(flows / makespan, 2));
        node.put("flowDurationP50Ms", Stats.percentile(durations, 50));
        node.put("flowDurationP95Ms", Stats.percentile(durations, 95));
        node.put("flowDurationMaxMs", Stats.max(durations));
        node.put("wallSecondsIncludingPolling", Stats.round(wallSeconds, 2));
        table.append(String.format("%d flows (%d SUCCEEDED), WaitForUser %d ms: %.2f flows/s (%.2f s first start to "
                        + "last stop); flow duration p50 %.0f ms, p95 %.0f ms, max %.0f ms%n", flows, succeeded, waitMs,
                flows / makespan, makespan, Stats.percentile(durations, 50), Stats.percentile(durations, 95),
                Stats.max(durations)));
        return node;
    }
}
