package io.scaflow.local.bench;

import io.scaflow.flow.FlowServices;
import io.scaflow.local.emulator.MotoServer;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.sandbox.ShineSandbox;
import io.scaflow.local.stack.LocalStateMachines;
import io.scaflow.local.stack.LocalLambdaService;
import io.scaflow.local.stack.LocalResources;
import io.scaflow.local.stack.LocalStepFunctions;
import io.scaflow.local.stack.SamTemplate;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.store.Flows;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The local stack of {@link io.scaflow.local.stack.LocalDeployment}, assembled for measuring: the same pieces from
 * {@code template.yaml} (moto, the Shine sandbox, the local Lambda and Step Functions services, the real state
 * machine), plus
 * <ul>
 *   <li>a {@link CountingProxy} between the functions and moto (DynamoDB and Secrets Manager requests by operation);</li>
 *   <li>a {@link CountingProxy} between the Step Functions engine and the Lambda service: when
 *       {@link #simulateWaits} is on, a step result that leads to a wait (WaitForUser in the follow-up execution)
 *       moves the shared {@link OffsetClock} forward by its {@code waitSeconds} (the time the wait takes in AWS), and
 *       the poll step's {@code followedSince} is read in that clock's time;</li>
 *   <li>one {@link OffsetClock} shared by the sandbox (user answers, expiry) and the handlers.</li>
 * </ul>
 */
final class BenchStack implements AutoCloseable {

    final Path root;
    final SamTemplate template;
    final MotoServer moto;
    final CountingProxy motoProxy;
    final OffsetClock clock = new OffsetClock();
    final ShineSandbox sandbox;
    final LocalResources resources;
    final LocalLambdaService lambda;
    final CountingProxy lambdaProxy;
    final LocalStepFunctions stepFunctions;
    final LocalStateMachines stateMachines;
    final String stateMachineArn;
    final SfnClient sfn;
    final Flows store;
    final AtomicBoolean simulateWaits = new AtomicBoolean();

    BenchStack() {
        root = RepoRoot.find();
        template = SamTemplate.read(root.resolve("template.yaml"));
        moto = MotoServer.start(root);
        motoProxy = CountingProxy.start(moto.endpoint());
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0).withThreads(16).withClock(clock));
        Map<String, String> parameters = new HashMap<>();
        parameters.put("ShineApiBaseUrl", sandbox.baseUrl());
        resources = LocalResources.create(template, moto.endpoint(), "scaflow-bench-flows", parameters,
                sandbox.clientId(), sandbox.clientSecret());
        Map<String, String> env = new HashMap<>(resources.functionEnvironment());
        env.put("AWS_ENDPOINT_URL", motoProxy.endpoint().toString());
        lambda = LocalLambdaService.builder(template)
                .references(resources.references())
                .environment(env)
                .clock(clock)
                .start();
        lambdaProxy = CountingProxy.start(lambda.endpoint());
        lambdaProxy.onResponse((path, body) -> {
            if (simulateWaits.get()) {
                simulateWait(body);
            }
        });
        lambdaProxy.onRequest((path, body) -> simulatedFollowUpStart(body));
        stepFunctions = LocalStepFunctions.start(root, lambdaProxy.endpoint());
        stateMachines = LocalStateMachines.register(template, stepFunctions, lambda.functionReferences());
        stateMachineArn = stateMachines.rootArn();
        sfn = LocalAws.sfn(stepFunctions.endpoint());
        store = FlowServices.create(new io.scaflow.config.Env(directEnv(lambda.functionNames().iterator().next())),
                clock).store();
    }

    /**
     * A step result {@code AWAITING_CONFIRMATION} is always followed by one wait of {@code waitSeconds} (which the
     * local engine cuts to a few ms): WaitForUser in the same follow-up execution or in the next one, or the parent's
     * WaitForRetryAfter. The clock jumps over it before the engine gets the answer.
     */
    private void simulateWait(byte[] body) {
        try {
            com.fasterxml.jackson.databind.JsonNode result = io.scaflow.json.Json.MAPPER.readTree(body);
            if (result != null && "AWAITING_CONFIRMATION".equals(result.path("status").asText())
                    && result.path("waitSeconds").canConvertToLong()) {
                clock.advance(Duration.ofSeconds(result.path("waitSeconds").asLong()));
            }
        } catch (IOException | RuntimeException e) {
            // not a step result (an error payload): no Wait follows
        }
    }

    /**
     * The poll step's {@code followedSince} ({@code $$.Execution.StartTime} of the follow-up execution) is the
     * engine's real time; the handlers compare it with the shared clock, which jumps over simulated waits. So it is
     * given as the clock read at that real instant: the follow-up's budget counts simulated time, as in AWS.
     */
    private byte[] simulatedFollowUpStart(byte[] body) {
        try {
            com.fasterxml.jackson.databind.JsonNode event = io.scaflow.json.Json.MAPPER.readTree(body);
            if (event instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                    && object.path("followedSince").isTextual()) {
                Instant real = Instant.parse(object.get("followedSince").asText());
                object.put("followedSince", clock.readingAt(real).toString());
                return io.scaflow.json.Json.MAPPER.writeValueAsBytes(object);
            }
        } catch (IOException | RuntimeException e) {
            // not a poll step's input: forwarded as it is
        }
        return body;
    }

    /** The function's environment as the template resolves it, AWS clients pointed at moto itself (no proxy). */
    Map<String, String> directEnv(String function) {
        io.scaflow.config.Env env = lambda.environment(function);
        Map<String, String> values = new LinkedHashMap<>();
        template.functions().get(function).environment().keySet()
                .forEach(name -> env.optional(name).ifPresent(v -> values.put(name, v)));
        for (String name : new String[] {"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_TIMEOUT"}) {
            env.optional(name).ifPresent(v -> values.put(name, v));
        }
        values.putAll(resources.functionEnvironment());
        return values;
    }

    @Override
    public void close() {
        sfn.close();
        stepFunctions.close();
        lambdaProxy.close();
        lambda.close();
        sandbox.close();
        motoProxy.close();
        moto.close();
    }
}
