package io.scaflow.local.stack;

import io.scaflow.config.Env;
import io.scaflow.flow.FlowServices;
import io.scaflow.local.iam.AwsCallRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Settings of a {@link LocalLambdaService}. */
/** Settings of a {@link LocalLambdaService}: {@code LocalLambdaService.builder(template)...start()}. */
public final class LocalLambdaServiceBuilder {
    private final SamTemplate template;
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, String> references = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();
    // read by LocalLambdaService
    Clock clock = Clock.systemUTC();
    int port;
    int concurrency = LocalLambdaService.DEFAULT_CONCURRENCY;
    String region = "eu-west-3";
    String accountId = "123456789012";
    boolean enforceTimeouts = true;
    RuntimeClientConfig runtimeClient;
    RuntimeClientFunctions runtimeFunctions;
    private String stackName = "scaflow-local";

    /** The key the environment gives every function, which each then replaces by its own (null: none given). */
    String sharedAccessKeyId() {
        return environment.get("AWS_ACCESS_KEY_ID");
    }

    LocalLambdaServiceBuilder(SamTemplate template) {
        this.template = template;
    }

    /** Template parameter values replacing their defaults. */
    public LocalLambdaServiceBuilder parameters(Map<String, String> values) {
        parameters.putAll(values);
        return this;
    }

    /**
     * Values of {@code Ref}s ({@code "FlowTable" -> table name}), {@code GetAtt}s ({@code "X.Arn" -> ...}) and
     * {@code Sub} variables; they win over parameters, pseudo parameters and the functions' own references.
     */
    public LocalLambdaServiceBuilder references(Map<String, String> values) {
        references.putAll(values);
        return this;
    }

    /** Variables set on every function after the template's (AWS endpoint, credentials, ...). */
    public LocalLambdaServiceBuilder environment(Map<String, String> values) {
        environment.putAll(values);
        return this;
    }

    /** The clock given to {@link FlowServices#create(Env, Clock)}. */
    public LocalLambdaServiceBuilder clock(Clock value) {
        clock = value;
        return this;
    }

    /** The port on 127.0.0.1 (0, the default: a free one). */
    public LocalLambdaServiceBuilder port(int value) {
        port = value;
        return this;
    }

    /**
     * Invocations that may run at once, all functions together (an account's Lambda concurrency, 1000 by
     * default); past it, synchronous invocations are refused with 429 TooManyRequestsException, as Lambda does.
     */
    public LocalLambdaServiceBuilder concurrency(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        concurrency = value;
        return this;
    }

    /** Region and account of the ARNs (eu-west-3, 123456789012 by default). */
    public LocalLambdaServiceBuilder account(String regionId, String account) {
        region = regionId;
        accountId = account;
        return this;
    }

    /** {@code AWS::StackName} ("scaflow-local" by default). */
    public LocalLambdaServiceBuilder stackName(String value) {
        stackName = value;
        return this;
    }

    /** Whether an invocation longer than the function's Timeout fails with Sandbox.Timedout (default true). */
    public LocalLambdaServiceBuilder enforceTimeouts(boolean value) {
        enforceTimeouts = value;
        return this;
    }

    /**
     * Runs every function as Lambda's Java runtime does, each in JVMs of its own under the runtime interface client,
     * from its {@code sam build} output ({@link RuntimeClientFunctions}); null (the default): in this JVM.
     */
    public LocalLambdaServiceBuilder runtimeClient(RuntimeClientConfig value) {
        runtimeClient = value;
        return this;
    }

    /**
     * What {@link LocalLambdaService#functionReferences()} will give, known before the service starts (the ARNs
     * depend only on the template, the region and the account), e.g. to register a state machine first.
     */
    public Map<String, String> functionReferences() {
        Map<String, String> refs = new LinkedHashMap<>();
        template.functions().values().forEach(f -> refs.putAll(LocalLambdaService.functionReferences(f, region,
                accountId)));
        return refs;
    }

    /** Resolves every function's environment (failing on an unresolved reference) and starts the server. */
    public LocalLambdaService start() {
        Map<String, String> refs = new HashMap<>(template.parameterValues(parameters));
        refs.put("AWS::Region", region);
        refs.put("AWS::AccountId", accountId);
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::StackName", stackName);
        refs.put("AWS::URLSuffix", "amazonaws.com");
        Map<String, SamTemplate.Function> declared = template.functions();
        declared.values().forEach(f -> refs.putAll(LocalLambdaService.functionReferences(f, region, accountId)));
        // !Ref of a state machine (the API function's STATE_MACHINE_ARN): the ARN LocalStepFunctions gives a
        // state machine registered under its logical id; references(...) may say otherwise.
        template.root().path("Resources").properties().forEach(r -> {
            if ("AWS::Serverless::StateMachine".equals(r.getValue().path("Type").asText())) {
                refs.put(r.getKey(), "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + r.getKey());
                refs.put(r.getKey() + ".Name", r.getKey());
            }
            // !Ref of an event bus (the publisher's EVENT_BUS_NAME): a bus named by its logical id; references(...)
            // may say otherwise (LocalDeployment's local bus).
            if ("AWS::Events::EventBus".equals(r.getValue().path("Type").asText())) {
                refs.put(r.getKey(), r.getKey());
                refs.put(r.getKey() + ".Name", r.getKey());
                refs.put(r.getKey() + ".Arn", "arn:aws:events:" + region + ":" + accountId + ":event-bus/" + r.getKey());
            }
        });
        refs.putAll(references);
        // Each function signs with a key of its own, as each role's session does in AWS: AwsCallInterceptor
        // attributes the calls by it (docs/local-stack.md, "Roles proven").
        String deployment = AwsCallRecorder.deployment(template.location(), region, accountId, refs);
        Map<String, HostedFunction> functions = new LinkedHashMap<>();
        Map<String, Map<String, String>> variables = new LinkedHashMap<>();
        for (SamTemplate.Function function : declared.values()) {
            Map<String, String> env = new LinkedHashMap<>();
            function.environment().forEach((name, value) -> {
                try {
                    env.put(name, SamTemplate.resolve(value, refs));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("environment variable " + name + " of "
                            + function.logicalId() + ": " + e.getMessage(), e);
                }
            });
            env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
            env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(function.timeoutSeconds()));
            env.putAll(environment);
            if (environment.containsKey("AWS_ACCESS_KEY_ID")) {
                env.put("AWS_ACCESS_KEY_ID", AwsCallRecorder.principal(deployment, function.logicalId(), accountId));
            }
            functions.put(function.logicalId(), new HostedFunction(function, new Env(env)));
            variables.put(function.logicalId(), env);
        }
        runtimeFunctions = runtimeClient == null ? null : RuntimeClientFunctions.create(template, runtimeClient, variables);
        try {
            return new LocalLambdaService(this, Collections.unmodifiableMap(functions));
        } catch (IOException e) {
            if (runtimeFunctions != null) {
                runtimeFunctions.close();
            }
            throw new UncheckedIOException("cannot start the local Lambda service", e);
        }
    }
}
