package io.scaflow.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.sandbox.UserPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * What one flow costs, counted on the local stack, one flow at a time: Standard state transitions (StateEntered
 * events of the parent's history), Express executions and their billed duration (the follow-up executions the
 * parent's TaskSubmitted events name, their histories), Lambda invocations (the local Lambda service's counters),
 * DynamoDB and Secrets Manager requests (the proxy in front of moto). The user's delay is simulated time: the clock
 * shared by the handlers and the sandbox is frozen during the flow and jumps forward by each wait's
 * {@code waitSeconds} (while the Wait itself is cut to {@link #WAIT_MS} of real time), so the number of polls is
 * the one AWS would run with zero latency.
 */
final class FlowCost {

    /** Real time of each wait state during the cost runs (BenchMain's override). */
    static final long WAIT_MS = 10;

    // us-east-1 on-demand prices, first tiers, as published on the date below (the README's Performance section).
    static final String PRICE_REGION = "us-east-1";
    static final String PRICE_DATE = "2026-12-01 (DynamoDB on-demand: the prices in force since the 2024-11-01 cut)";
    static final String PRICE_SOURCE = "aws.amazon.com/step-functions/pricing, aws.amazon.com/lambda/pricing, "
            + "aws.amazon.com/dynamodb/pricing/on-demand";
    static final double SFN_PER_TRANSITION = 0.025 / 1000;
    static final double EXPRESS_PER_EXECUTION = 1.00 / 1_000_000;
    static final double EXPRESS_PER_GB_SECOND = 0.00001667;
    /** Express bills memory in 64 MB units (a follow-up's state is a few hundred bytes: one unit). */
    static final double EXPRESS_MEMORY_GB = 64 / 1024.0;
    /** Express bills duration rounded up to 100 ms. */
    static final long EXPRESS_BILLING_MS = 100;
    static final double LAMBDA_PER_REQUEST = 0.20 / 1_000_000;
    static final double LAMBDA_ARM64_PER_GB_SECOND = 0.0000133334;
    static final double DYNAMODB_PER_WRU = 0.625 / 1_000_000;
    static final double DYNAMODB_PER_RRU = 0.125 / 1_000_000;
    static final double MEMORY_GB = 1024 / 1024.0;
    /** Billed duration assumed per invocation for the "AWS-like" line: Shine over the Internet, not a local sandbox. */
    static final double ASSUMED_AWS_DURATION_MS = 200;

    /** {@code lifetime}: the user's action requests' lifetime, null for the sandbox's 60 s. */
    record Scenario(String name, UserPolicy policy, Duration lifetime, ExecutionStatus expected) {
    }

    private final BenchStack stack;

    FlowCost(BenchStack stack) {
        this.stack = stack;
    }

    /** {@code durationMs}: billed duration per function (the warm p50 measured here). */
    ObjectNode run(List<Scenario> scenarios, Map<String, Double> durationMs, StringBuilder table,
                   java.io.PrintStream progress) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        ObjectNode prices = result.putObject("prices");
        prices.put("region", PRICE_REGION);
        prices.put("date", PRICE_DATE);
        prices.put("source", PRICE_SOURCE);
        prices.put("stepFunctionsStandardPerTransition", SFN_PER_TRANSITION);
        prices.put("stepFunctionsExpressPerExecution", EXPRESS_PER_EXECUTION);
        prices.put("stepFunctionsExpressPerGbSecond", EXPRESS_PER_GB_SECOND);
        prices.put("stepFunctionsExpressMemoryGb", EXPRESS_MEMORY_GB);
        prices.put("lambdaPerRequest", LAMBDA_PER_REQUEST);
        prices.put("lambdaArm64PerGbSecond", LAMBDA_ARM64_PER_GB_SECOND);
        prices.put("dynamoDbOnDemandPerWriteRequestUnit", DYNAMODB_PER_WRU);
        prices.put("dynamoDbOnDemandPerReadRequestUnit", DYNAMODB_PER_RRU);
        prices.put("lambdaMemoryGb", MEMORY_GB);
        table.append(String.format("%-22s %-10s %6s %4s %7s %5s %6s %6s %6s %4s %5s %11s %10s %12s%n", "user",
                "execution", "trans.", "exp.", "exp GBs", "polls", "lambda", "ddb R", "ddb W", "SM", "item",
                "$/1k flows", "SFN share", "$/1k (200ms)"));
        // one flow first, uncounted: every function's container is loaded (its one-off Secrets Manager read of
        // Shine's client credentials done), as in a warm AWS deployment
        runOne(new Scenario("warm-up", UserPolicy.confirmAfter(0), null, ExecutionStatus.SUCCEEDED), durationMs,
                Json.MAPPER.createObjectNode(), new StringBuilder());
        for (Scenario scenario : scenarios) {
            ObjectNode node = result.putObject(scenario.name());
            runOne(scenario, durationMs, node, table);
            progress.printf("  cost: %s done (load %s)%n", scenario.name(), Machine.loadAverage());
        }
        return result;
    }

    private void runOne(Scenario scenario, Map<String, Double> durationMs, ObjectNode node, StringBuilder table) {
        String uid = "cost-" + scenario.name().replaceAll("[^a-z0-9]", "");
        stack.sandbox.registerUser(uid, null);
        stack.sandbox.setPolicy(uid, scenario.policy());
        stack.sandbox.setActionRequestLifetime(uid, scenario.lifetime());
        String secretId = stack.resources.putUserAccessToken(uid, stack.sandbox.accessTokenOf(uid));
        ObjectNode input = Json.MAPPER.createObjectNode().put("action", "bank:transfers:create").put("uid", uid);
        input.putObject("payload").put("amount", new BigDecimal("234.50"))
                .put("bankTransferRecipientId", "recipient-" + uid).put("uid", uid);
        input.put("accessTokenSecretId", secretId);
        String flowId = Seeder.newFlowId("cost");

        stack.lambda.resetInvocationCounts();
        stack.motoProxy.reset();
        Duration offsetBefore = stack.clock.offset();
        stack.clock.freeze();
        stack.simulateWaits.set(true);
        long started = System.nanoTime();
        DescribeExecutionResponse end;
        try {
            String arn = stack.sfn.startExecution(b -> b.stateMachineArn(stack.stateMachineArn).name(flowId)
                    .input(input.toString())).executionArn();
            end = awaitEnd(arn, Duration.ofMinutes(3));
        } finally {
            stack.simulateWaits.set(false);
            stack.clock.thaw();
        }
        double realSeconds = (System.nanoTime() - started) / 1e9;
        Duration simulated = stack.clock.offset().minus(offsetBefore);
        Map<String, Long> lambda = stack.lambda.invocationCounts();
        Map<String, Long> moto = stack.motoProxy.counts();

        List<HistoryEvent> history = new ArrayList<>();
        stack.sfn.getExecutionHistoryPaginator(b -> b.executionArn(end.executionArn()).maxResults(1000)).events()
                .forEach(history::add);
        long transitions = history.stream().filter(e -> e.typeAsString().endsWith("StateEntered")).count();
        ExpressUse express = expressUse(history);
        long invocations = lambda.values().stream().mapToLong(Long::longValue).sum();
        long reads = sum(moto, "DynamoDB_20120810.GetItem", "DynamoDB_20120810.Query",
                "DynamoDB_20120810.BatchGetItem");
        long writes = sum(moto, "DynamoDB_20120810.PutItem", "DynamoDB_20120810.UpdateItem",
                "DynamoDB_20120810.DeleteItem");
        long secrets = moto.entrySet().stream().filter(e -> e.getKey().startsWith("secretsmanager."))
                .mapToLong(Map.Entry::getValue).sum();
        long itemBytes = itemSize(flowId);
        long wruPerWrite = Math.max(1, (itemBytes + 1023) / 1024);
        long rruPerRead = Math.max(1, (itemBytes + 4095) / 4096);

        double gbSeconds = 0;
        for (Map.Entry<String, Long> e : lambda.entrySet()) {
            double ms = Math.ceil(durationMs.getOrDefault(e.getKey(), 10.0));
            gbSeconds += e.getValue() * ms / 1000 * MEMORY_GB;
        }
        double standardCost = transitions * SFN_PER_TRANSITION;
        double expressRequests = express.executions() * EXPRESS_PER_EXECUTION;
        double expressDuration = express.gbSeconds() * EXPRESS_PER_GB_SECOND;
        double sfnCost = standardCost + expressRequests + expressDuration;
        double lambdaRequests = invocations * LAMBDA_PER_REQUEST;
        double lambdaCompute = gbSeconds * LAMBDA_ARM64_PER_GB_SECOND;
        double lambdaComputeAws = invocations * ASSUMED_AWS_DURATION_MS / 1000 * MEMORY_GB * LAMBDA_ARM64_PER_GB_SECOND;
        double ddbCost = writes * wruPerWrite * DYNAMODB_PER_WRU + reads * rruPerRead * DYNAMODB_PER_RRU;
        double total = sfnCost + lambdaRequests + lambdaCompute + ddbCost;
        // in AWS each poll step also lasts its Lambda call: 200 ms more of Express duration per poll
        double expressDurationAws = (express.gbSeconds() + lambda.getOrDefault("PollActionRequestFunction", 0L)
                * ASSUMED_AWS_DURATION_MS / 1000 * EXPRESS_MEMORY_GB) * EXPRESS_PER_GB_SECOND;
        double totalAws = standardCost + expressRequests + expressDurationAws + lambdaRequests + lambdaComputeAws
                + ddbCost;

        node.put("executionStatus", end.statusAsString());
        node.put("expectedStatus", scenario.expected().toString());
        if (end.error() != null) {
            node.put("executionError", end.error());
        }
        node.put("flowStatus", stack.store.get(flowId).status().toString());
        node.put("simulatedUserSeconds", simulated.toMillis() / 1000.0);
        node.put("realSeconds", Stats.round(realSeconds, 2));
        node.put("stateTransitions", transitions);
        node.put("historyEvents", history.size());
        node.put("expressExecutions", express.executions());
        node.put("expressBilledSeconds", Stats.round(express.billedMs() / 1000.0, 1));
        node.put("expressGbSeconds", Stats.round(express.gbSeconds(), 4));
        node.putPOJO("lambdaInvocations", lambda);
        node.put("lambdaInvocationsTotal", invocations);
        node.putPOJO("awsRequests", moto);
        node.put("dynamoDbReads", reads);
        node.put("dynamoDbWrites", writes);
        node.put("secretsManagerCalls", secrets);
        node.put("finalItemBytes", itemBytes);
        node.put("wruPerWrite", wruPerWrite);
        node.put("rruPerRead", rruPerRead);
        node.put("lambdaGbSeconds", Stats.round(gbSeconds, 4));
        ObjectNode cost = node.putObject("costUsd");
        cost.put("stepFunctions", sfnCost);
        cost.put("stepFunctionsStandard", standardCost);
        cost.put("stepFunctionsExpressExecutions", expressRequests);
        cost.put("stepFunctionsExpressDuration", expressDuration);
        cost.put("lambdaRequests", lambdaRequests);
        cost.put("lambdaCompute", lambdaCompute);
        cost.put("dynamoDb", ddbCost);
        cost.put("total", total);
        cost.put("per1000Flows", Stats.round(total * 1000, 4));
        cost.put("lambdaComputeAt200msPerInvocation", lambdaComputeAws);
        cost.put("per1000FlowsAt200msPerInvocation", Stats.round(totalAws * 1000, 4));
        table.append(String.format("%-22s %-10s %6d %4d %7.2f %5d %6d %6d %6d %4d %4dB %11s %9.0f%% %12s%n",
                scenario.name(), end.statusAsString().equals(scenario.expected().toString()) ? end.statusAsString()
                        : end.statusAsString() + "!", transitions, express.executions(), express.gbSeconds(),
                lambda.getOrDefault("PollActionRequestFunction", 0L), invocations, reads, writes, secrets, itemBytes,
                String.format("$%.3f", total * 1000), 100 * sfnCost / total, String.format("$%.3f", totalAws * 1000)));
    }

    /** The follow-up executions' count and billed duration (ms, each rounded up to 100 ms) and GB-seconds. */
    record ExpressUse(long executions, long billedMs, double gbSeconds) {
    }

    /**
     * Each follow-up the parent's history names (TaskSubmitted): its duration in AWS = the simulated waits of its
     * WaitForUser states + its real time without the cut waits (the poll steps), rounded up to 100 ms.
     */
    private ExpressUse expressUse(List<HistoryEvent> parentHistory) {
        long executions = 0;
        long billedMs = 0;
        for (HistoryEvent event : parentHistory) {
            if (event.taskSubmittedEventDetails() == null) {
                continue;
            }
            String child = event.taskSubmittedEventDetails().output();
            String arn;
            try {
                arn = Json.MAPPER.readTree(child).path("ExecutionArn").asText();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            DescribeExecutionResponse described = stack.sfn.describeExecution(b -> b.executionArn(arn));
            long waitedMs = 0;
            long waits = 0;
            for (HistoryEvent e : stack.sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events()) {
                if (e.stateEnteredEventDetails() != null && e.typeAsString().equals("WaitStateEntered")) {
                    waits++;
                    try {
                        waitedMs += 1000 * Json.MAPPER.readTree(e.stateEnteredEventDetails().input())
                                .path("waitSeconds").asLong();
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                }
            }
            long realMs = described.stopDate().toEpochMilli() - described.startDate().toEpochMilli();
            long durationMs = waitedMs + Math.max(0, realMs - waits * WAIT_MS);
            billedMs += (durationMs + EXPRESS_BILLING_MS - 1) / EXPRESS_BILLING_MS * EXPRESS_BILLING_MS;
            executions++;
        }
        return new ExpressUse(executions, billedMs, billedMs / 1000.0 * EXPRESS_MEMORY_GB);
    }

    private DescribeExecutionResponse awaitEnd(String arn, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            DescribeExecutionResponse d = stack.sfn.describeExecution(b -> b.executionArn(arn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("execution still RUNNING after " + max + ": " + arn);
            }
            sleep(20);
        }
    }

    private static long sum(Map<String, Long> counts, String... keys) {
        long total = 0;
        for (String key : keys) {
            total += counts.getOrDefault(key, 0L);
        }
        return total;
    }

    /** DynamoDB's item size rules (names and values in UTF-8 bytes, numbers ~ digits/2 + 1, 3 bytes per container). */
    private long itemSize(String flowId) {
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(stack.moto.endpoint())) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(stack.resources.tableName())
                    .key(Map.of("flowId", AttributeValue.fromS(flowId))).consistentRead(true)).item();
            long size = 0;
            for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
                size += utf8(e.getKey()) + size(e.getValue());
            }
            return size;
        }
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return (v.n().replaceAll("[^0-9]", "").length() + 1) / 2 + 1;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                size += utf8(e.getKey()) + size(e.getValue()) + 1;
            }
            return size;
        }
        if (v.hasL()) {
            long size = 3;
            for (AttributeValue e : v.l()) {
                size += size(e) + 1;
            }
            return size;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(FlowCost::utf8).sum();
        }
        return 0;
    }

    private static long utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
