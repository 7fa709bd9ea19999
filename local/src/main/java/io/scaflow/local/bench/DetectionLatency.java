package io.scaflow.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.ActionRequest;
import io.scaflow.local.sandbox.TransferRecord;
import io.scaflow.local.sandbox.UserPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How long after the user's confirmation the transfer reaches Shine: flows on the local stack with real waits (the
 * template's cadence, nothing cut), each user confirming through the sandbox at a random moment of the cadence's
 * fast phase (from 3 s after the action request was created to one poll interval before the phase ends: the users
 * who answer the notification right away). Latency = the
 * sandbox's transfer record {@code createdAt} minus the confirmation's {@code updatedAt}, both on the sandbox's
 * clock: the rest of the poll interval, the poll, the follow-up handing back, the parent's Choice and ExecuteAction.
 */
final class DetectionLatency {

    private static final Duration MAX_FLOW = Duration.ofSeconds(90);
    private final BenchStack stack;

    DetectionLatency(BenchStack stack) {
        this.stack = stack;
    }

    /** Users confirm {@code fromMs} to {@code toMs} after the action request's creation. */
    ObjectNode run(int flows, int concurrency, long firstPollIntervalMs, long fromMs, long toMs, StringBuilder table)
            throws Exception {
        Random random = new Random(20261201L);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            delays.add(fromMs + (long) (random.nextDouble() * (toMs - fromMs)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<Long>> results = new ArrayList<>();
        try {
            for (int i = 0; i < flows; i++) {
                long delay = delays.get(i);
                int index = i;
                results.add(pool.submit(() -> oneFlow(index, delay)));
            }
            double[] latencies = new double[flows];
            for (int i = 0; i < flows; i++) {
                latencies[i] = results.get(i).get();
            }
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("flows", flows);
            node.put("concurrentFlows", concurrency);
            node.put("confirmAfterMs", fromMs + ".." + toMs + " after the action request's creation (seeded random)");
            node.put("firstPollIntervalMs", firstPollIntervalMs);
            node.put("p50Ms", Stats.percentile(latencies, 50));
            node.put("p95Ms", Stats.percentile(latencies, 95));
            node.put("maxMs", Stats.max(latencies));
            node.put("minMs", Stats.min(latencies));
            node.putPOJO("samplesMs", latencies);
            table.append(String.format("%d flows (%d at a time), real waits, users confirming %.0f-%.0f s after the "
                            + "request: confirmation to transfer p50 %.0f ms, p95 %.0f ms, max %.0f ms (first poll "
                            + "interval %d ms)%n", flows, concurrency, fromMs / 1000.0, toMs / 1000.0,
                    Stats.percentile(latencies, 50), Stats.percentile(latencies, 95), Stats.max(latencies),
                    firstPollIntervalMs));
            return node;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One flow: start it, confirm its action request {@code delayMs} after creation, return the latency in ms. */
    private long oneFlow(int index, long delayMs) {
        String uid = "latency-" + index + "-" + Seeder.newFlowId("u").substring(2, 8);
        stack.sandbox.registerUser(uid, null);
        stack.sandbox.setPolicy(uid, UserPolicy.MANUAL);
        String secretId = stack.resources.putUserAccessToken(uid, stack.sandbox.accessTokenOf(uid));
        ObjectNode input = Json.MAPPER.createObjectNode().put("action", "bank:transfers:create").put("uid", uid);
        input.putObject("payload").put("amount", new BigDecimal("45.60"))
                .put("bankTransferRecipientId", "recipient-" + uid).put("uid", uid);
        input.put("accessTokenSecretId", secretId);
        stack.sfn.startExecution(b -> b.stateMachineArn(stack.stateMachineArn).name(Seeder.newFlowId("latency"))
                .input(input.toString()));
        long deadline = System.nanoTime() + MAX_FLOW.toNanos();
        ActionRequest request = await(deadline, () -> stack.sandbox.actionRequests().stream()
                .filter(r -> uid.equals(r.uid())).findFirst());
        Instant confirmAt = request.createdAt().plusMillis(delayMs);
        long sleep = Duration.between(stack.sandbox.now(), confirmAt).toMillis();
        if (sleep > 0) {
            FlowCost.sleep(sleep);
        }
        Instant confirmedAt = stack.sandbox.confirm(request.id()).updatedAt();
        TransferRecord transfer = await(deadline, () -> stack.sandbox.transfers().stream()
                .filter(t -> uid.equals(t.uid())).findFirst());
        return Duration.between(confirmedAt, transfer.createdAt()).toMillis();
    }

    private static <T> T await(long deadline, java.util.function.Supplier<Optional<T>> probe) {
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no progress within " + MAX_FLOW);
            }
            FlowCost.sleep(5);
        }
    }
}
