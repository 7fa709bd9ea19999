package io.scaflow.local.stack;

import io.scaflow.config.Env;
import io.scaflow.flow.FlowServices;
import io.scaflow.local.emulator.LocalAws;
import io.scaflow.local.emulator.MotoServer;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.sandbox.ShineSandbox;
import io.scaflow.store.Flows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The whole SAM application on one machine, from {@code template.yaml}: moto (DynamoDB, Secrets Manager) with the
 * table and the credentials secret the template declares, the Shine sandbox (unless another Shine API is given),
 * the handlers behind the local Lambda service, and the state machines on the local Step Functions service.
 */
public final class LocalDeployment implements AutoCloseable {

    /** Where Shine is, when it is not the embedded sandbox. */
    public record ExternalShine(String baseUrl, String clientId, String clientSecret) {

        /** {@code SHINE_API_BASE_URL}, {@code SHINE_CLIENT_ID}, {@code SHINE_CLIENT_SECRET}, when all are set. */
        public static Optional<ExternalShine> fromEnv(Env env) {
            Optional<String> url = env.optional("SHINE_API_BASE_URL");
            if (url.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ExternalShine(url.get(), env.required("SHINE_CLIENT_ID"),
                    env.required("SHINE_CLIENT_SECRET")));
        }
    }

    private final MotoServer moto;
    private final ShineSandbox sandbox;
    private final LocalResources resources;
    private final LocalLambdaService lambda;
    private final LocalStepFunctions stepFunctions;
    private final LocalApiGateway apiGateway;
    private final String stateMachineArn;
    private final Map<String, String> stateMachineArns;
    private final SfnClient sfn;
    private final Flows store;
    private final LocalEventBus eventBus;
    private final LocalStreamMappings streamMappings;

    private LocalDeployment(MotoServer moto, ShineSandbox sandbox, LocalResources resources, LocalLambdaService lambda,
                       LocalStepFunctions stepFunctions, LocalApiGateway apiGateway, LocalStateMachines machines,
                       LocalEventBus eventBus, LocalStreamMappings streamMappings) {
        this.eventBus = eventBus;
        this.streamMappings = streamMappings;
        this.moto = moto;
        this.sandbox = sandbox;
        this.resources = resources;
        this.lambda = lambda;
        this.stepFunctions = stepFunctions;
        this.apiGateway = apiGateway;
        this.stateMachineArn = machines.rootArn();
        this.stateMachineArns = machines.arns();
        this.sfn = LocalAws.sfn(stepFunctions.endpoint());
        this.store = FlowServices.create(lambda.harnessEnvironment(firstFunction(lambda)), Clock.systemUTC())
                .store();
    }

    /**
     * Starts everything, the API on a free port; {@code parameters} override the template's parameter defaults
     * (e.g. {@code PollIntervalSeconds}); {@code shine} empty means the embedded sandbox.
     */
    public static LocalDeployment start(Map<String, String> parameters, Optional<ExternalShine> shine,
                                   SandboxConfig sandboxConfig) {
        return start(parameters, shine, sandboxConfig, 0);
    }

    /**
     * Starts everything, the local API Gateway on 127.0.0.1:{@code apiPort} (0: a free port).
     *
     * <p>The API function needs the Step Functions endpoint and the state machine's ARN in its environment, and
     * Step Functions needs the Lambda endpoint: a free port is reserved for the Lambda service first, Step Functions
     * starts with it and registers the state machines (the functions' ARNs are known from the template; a child
     * before the parent whose substitutions name it), then the Lambda service starts on that port with
     * {@code AWS_ENDPOINT_URL_SFN} and {@code STATE_MACHINE_ARN} ({@code !Ref ScaFlowStateMachine}) resolved.
     */
    public static LocalDeployment start(Map<String, String> parameters, Optional<ExternalShine> shine,
                                   SandboxConfig sandboxConfig, int apiPort) {
        return start(parameters, shine, sandboxConfig, apiPort, null, Optional.empty());
    }

    /**
     * The same, the functions run by the runtime interface client from their {@code sam build} output
     * ({@link LocalLambdaServiceBuilder#runtimeClient}) when {@code runtimeClient} is given, else in this JVM; with
     * {@code sigv4}, the API checks every request's SigV4 signature against those credentials, as API Gateway does
     * for IAM authorization ({@code make run SIGV4=1}).
     */
    public static LocalDeployment start(Map<String, String> parameters, Optional<ExternalShine> shine,
                                   SandboxConfig sandboxConfig, int apiPort, RuntimeClientConfig runtimeClient,
                                   Optional<LocalCredentials> sigv4) {
        Path root = RepoRoot.find();
        SamTemplate template = SamTemplate.read(root.resolve("template.yaml"));
        MotoServer moto = MotoServer.start(root);
        ShineSandbox sandbox = null;
        LocalLambdaService lambda = null;
        LocalStepFunctions stepFunctions = null;
        LocalApiGateway api = null;
        LocalEventBus eventBus = null;
        LocalStreamMappings streamMappings = null;
        try {
            ExternalShine target;
            if (shine.isPresent()) {
                target = shine.get();
            } else {
                sandbox = ShineSandbox.start(sandboxConfig);
                target = new ExternalShine(sandbox.baseUrl(), sandbox.clientId(), sandbox.clientSecret());
            }
            Map<String, String> overrides = new HashMap<>(parameters);
            overrides.put("ShineApiBaseUrl", target.baseUrl());
            LocalResources resources = LocalResources.create(template, moto.endpoint(), "scaflow-flows-"
                    + UUID.randomUUID(), overrides, target.clientId(), target.clientSecret());
            eventBus = LocalEventBus.start(EVENT_BUS_NAME, LocalAws.REGION_ID, LocalAws.ACCOUNT_ID);
            int lambdaPort = freePort();
            stepFunctions = LocalStepFunctions.start(root, URI.create("http://127.0.0.1:" + lambdaPort));
            LocalLambdaServiceBuilder lambdaBuilder = LocalLambdaService.builder(template)
                    .port(lambdaPort)
                    .references(resources.references())
                    .environment(resources.functionEnvironment())
                    .environment(Map.of("AWS_ENDPOINT_URL_SFN", stepFunctions.endpoint().toString()))
                    .runtimeClient(runtimeClient)
                    .references(eventBusReferences(template, eventBus))
                    .environment(Map.of("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBus.endpoint().toString()));
            LocalStateMachines machines = LocalStateMachines.register(template, stepFunctions,
                    lambdaBuilder.functionReferences());
            lambda = lambdaBuilder.references(machines.references()).start();
            ExecutionStatusEvents.wire(template, stepFunctions, lambda.endpoint(), LocalAws.REGION_ID);
            streamMappings = LocalStreamMappings.start(template, resources, lambda, LocalAws.REGION_ID);
            api = sigv4.isPresent() ? LocalApiGateway.start(template, lambda.endpoint(), apiPort, sigv4.get())
                    : LocalApiGateway.start(template, lambda.endpoint(), apiPort);
            return new LocalDeployment(moto, sandbox, resources, lambda, stepFunctions, api, machines, eventBus,
                    streamMappings);
        } catch (RuntimeException e) {
            if (streamMappings != null) {
                streamMappings.close();
            }
            if (eventBus != null) {
                eventBus.close();
            }
            if (api != null) {
                api.close();
            }
            if (stepFunctions != null) {
                stepFunctions.close();
            }
            if (lambda != null) {
                lambda.close();
            }
            if (sandbox != null) {
                sandbox.close();
            }
            moto.close();
            throw e;
        }
    }

    /** The embedded sandbox on a free port, the template's defaults. */
    public static LocalDeployment start() {
        return start(Map.of(), Optional.empty(), SandboxConfig.defaults().withPort(0));
    }

    /** The local API's stage URL, e.g. {@code http://127.0.0.1:3000/live} (append a route: /v1/transfers). */
    public URI apiEndpoint() {
        return apiGateway.endpoint();
    }

    public LocalApiGateway apiGateway() {
        return apiGateway;
    }

    public SfnClient sfn() {
        return sfn;
    }

    /** The flow's state machine (the Standard parent, which no other state machine references). */
    public String stateMachineArn() {
        return stateMachineArn;
    }

    /** Every state machine of the template: logical id -> ARN. */
    public Map<String, String> stateMachineArns() {
        return stateMachineArns;
    }

    public Flows store() {
        return store;
    }

    /** The embedded sandbox; empty when the stack talks to another Shine API. */
    public Optional<ShineSandbox> sandbox() {
        return Optional.ofNullable(sandbox);
    }

    public LocalResources resources() {
        return resources;
    }

    public LocalLambdaService lambda() {
        return lambda;
    }

    public LocalStepFunctions stepFunctions() {
        return stepFunctions;
    }

    public MotoServer moto() {
        return moto;
    }

    /**
     * The template's status event bus ({@code AWS::Events::EventBus}): what the publisher put on it, in order
     * ({@link LocalEventBus#writeTo} also writes it to a file).
     */
    public LocalEventBus eventBus() {
        return eventBus;
    }

    @Override
    public void close() {
        streamMappings.close();
        apiGateway.close();
        sfn.close();
        stepFunctions.close();
        lambda.close();
        if (sandbox != null) {
            sandbox.close();
        }
        eventBus.close();
        moto.close();
    }

    /** The local bus's name. */
    static final String EVENT_BUS_NAME = "scaflow-local-flow-events";

    /** {@code !Ref} and {@code !GetAtt .Arn} of each {@code AWS::Events::EventBus} of the template: the local bus. */
    private static Map<String, String> eventBusReferences(SamTemplate template, LocalEventBus bus) {
        Map<String, String> refs = new HashMap<>();
        for (String logicalId : template.logicalIds("AWS::Events::EventBus")) {
            refs.put(logicalId, bus.name());
            refs.put(logicalId + ".Arn", bus.arn());
            refs.put(logicalId + ".Name", bus.name());
        }
        return refs;
    }

    private static String firstFunction(LocalLambdaService lambda) {
        return lambda.functionNames().iterator().next();
    }

    /** A port free on 127.0.0.1 right now (the Lambda service binds it a moment later). */
    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
