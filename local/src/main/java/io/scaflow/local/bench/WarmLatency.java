package io.scaflow.local.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.config.Env;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.FlowSettings;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.flow.RecordFailureHandler;
import io.scaflow.json.Json;
import io.scaflow.aws.KmsTokenCipher;
import io.scaflow.aws.SecretReader;
import io.scaflow.shine.ClientCredentials;
import io.scaflow.core.Secret;
import io.scaflow.shine.ShineClient;
import io.scaflow.shine.ShineConfig;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.FlowStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Warm latency: the real handlers in this JVM, built once (one container), called many times after a warm-up.
 * Their services are assembled as {@code FlowServices.create} does (same settings, same SDK HTTP client, same JDK
 * HttpClient settings for Shine), with two probes added: an SDK {@link CallTimer.AwsInterceptor} on the DynamoDB and
 * Secrets Manager clients and a {@link CallTimer.TimedHttpClient} around Shine's HttpClient. Each call's own time is
 * its total minus the time it waited on moto and on the sandbox. Each call's flow is seeded untimed.
 */
final class WarmLatency {

    private record Sample(double totalMs, double awsMs, long awsCalls, double shineMs, long shineCalls) {
        double ownMs() {
            return totalMs - awsMs - shineMs;
        }
    }

    private final BenchStack stack;
    private final Seeder seeder;
    private final Map<String, String> env;

    WarmLatency(BenchStack stack, Seeder seeder) {
        this.stack = stack;
        this.seeder = seeder;
        this.env = stack.directEnv("CreateActionRequestFunction");
    }

    ObjectNode run(int warmup, int count, StringBuilder table, java.io.PrintStream progress) {
        FlowServices services = instrumentedServices();
        RequestStreamHandler create = new CreateActionRequestHandler(services);
        RequestStreamHandler poll = new PollActionRequestHandler(services);
        RequestStreamHandler execute = new ExecuteActionHandler(services);
        RequestStreamHandler recordFailure = new RecordFailureHandler(services);
        int n = warmup + count;

        List<String> created = new ArrayList<>();
        List<Sample> createSamples = measure(n, i -> {
            String flowId = Seeder.newFlowId("warm");
            created.add(flowId);
            return () -> Seeder.invoke(create, seeder.event("create-action-request.json", flowId));
        });
        progress.printf("  warm CreateActionRequest done (load %s)%n", Machine.loadAverage());
        List<Sample> pollPending = measure(n, i -> () -> Seeder.invoke(poll,
                seeder.event("poll-action-request.json", created.get(i))));
        created.forEach(id -> seeder.expect(id, FlowStatus.AWAITING_CONFIRMATION));
        progress.printf("  warm PollActionRequest (pending) done (load %s)%n", Machine.loadAverage());
        List<Sample> pollConfirmed = measure(n, i -> {
            seeder.confirm(created.get(i));
            return () -> Seeder.invoke(poll, seeder.event("poll-action-request.json", created.get(i)));
        });
        created.forEach(id -> seeder.expect(id, FlowStatus.CONFIRMED));
        progress.printf("  warm PollActionRequest (confirmed) done (load %s)%n", Machine.loadAverage());
        List<Sample> executeSamples = measure(n, i -> () -> Seeder.invoke(execute,
                seeder.event("execute-action.json", created.get(i))));
        created.forEach(id -> seeder.expect(id, FlowStatus.SUCCEEDED));
        progress.printf("  warm ExecuteAction done (load %s)%n", Machine.loadAverage());
        List<Sample> failureSamples = measure(n, i -> {
            String flowId = seeder.awaitingFlow();
            return () -> Seeder.invoke(recordFailure, seeder.event("record-failure.json", flowId));
        });
        progress.printf("  warm RecordFailure done (load %s)%n", Machine.loadAverage());

        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("warmup", warmup);
        result.put("invocations", count);
        table.append(String.format("%-32s %8s %8s %8s %8s %13s %13s%n", "handler", "p50", "p99", "own p50",
                "own p99", "moto p50 (n)", "Shine p50 (n)"));
        row(result, table, "CreateActionRequest", createSamples.subList(warmup, n));
        row(result, table, "PollActionRequest (pending)", pollPending.subList(warmup, n));
        row(result, table, "PollActionRequest (confirmed)", pollConfirmed.subList(warmup, n));
        row(result, table, "ExecuteAction", executeSamples.subList(warmup, n));
        row(result, table, "RecordFailure", failureSamples.subList(warmup, n));
        return result;
    }

    /** For each i, prepares (untimed) then runs (timed) one invocation. */
    private static List<Sample> measure(int n, Function<Integer, Runnable> prepare) {
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Runnable call = prepare.apply(i);
            CallTimer.reset();
            long started = System.nanoTime();
            call.run();
            long total = System.nanoTime() - started;
            long[] spent = CallTimer.snapshot();
            samples.add(new Sample(total / 1e6, spent[0] / 1e6, spent[1], spent[2] / 1e6, spent[3]));
        }
        return samples;
    }

    private static void row(ObjectNode result, StringBuilder table, String name, List<Sample> samples) {
        double[] total = samples.stream().mapToDouble(Sample::totalMs).toArray();
        double[] own = samples.stream().mapToDouble(Sample::ownMs).toArray();
        double[] aws = samples.stream().mapToDouble(Sample::awsMs).toArray();
        double[] shine = samples.stream().mapToDouble(Sample::shineMs).toArray();
        double awsCalls = samples.stream().mapToLong(Sample::awsCalls).average().orElse(0);
        double shineCalls = samples.stream().mapToLong(Sample::shineCalls).average().orElse(0);
        ObjectNode node = result.putObject(name);
        node.put("p50Ms", Stats.round(Stats.percentile(total, 50), 2));
        node.put("p99Ms", Stats.round(Stats.percentile(total, 99), 2));
        node.put("ownP50Ms", Stats.round(Stats.percentile(own, 50), 2));
        node.put("ownP99Ms", Stats.round(Stats.percentile(own, 99), 2));
        node.put("emulatorsP50Ms", Stats.round(Stats.percentile(aws, 50), 2));
        node.put("emulatorsP99Ms", Stats.round(Stats.percentile(aws, 99), 2));
        node.put("emulatorCallsPerInvocation", Stats.round(awsCalls, 2));
        node.put("sandboxP50Ms", Stats.round(Stats.percentile(shine, 50), 2));
        node.put("sandboxP99Ms", Stats.round(Stats.percentile(shine, 99), 2));
        node.put("sandboxCallsPerInvocation", Stats.round(shineCalls, 2));
        node.put("meanMs", Stats.round(Stats.mean(total), 2));
        table.append(String.format("%-32s %5.1f ms %5.1f ms %5.1f ms %5.1f ms %6.1f ms (%.0f) %6.1f ms (%.0f)%n", name,
                Stats.percentile(total, 50), Stats.percentile(total, 99), Stats.percentile(own, 50),
                Stats.percentile(own, 99), Stats.percentile(aws, 50), awsCalls, Stats.percentile(shine, 50),
                shineCalls));
    }

    /** As FlowServices.create(env), with the timing probes added. */
    private FlowServices instrumentedServices() {
        Env e = new Env(env);
        FlowSettings settings = FlowSettings.fromEnv(e);
        URI endpoint = URI.create(env.get("AWS_ENDPOINT_URL"));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
        DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.of(env.get("AWS_REGION")))
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new CallTimer.AwsInterceptor()))
                .build();
        SecretsManagerClient secretsManager = SecretsManagerClient.builder().region(Region.of(env.get("AWS_REGION")))
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new CallTimer.AwsInterceptor()))
                .build();
        KmsClient kms = KmsClient.builder().region(Region.of(env.get("AWS_REGION")))
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new CallTimer.AwsInterceptor()))
                .build();
        FlowStore store = new FlowStore(dynamo, e.required("TABLE_NAME"), settings.flowRetention(), Clock.systemUTC(),
                new KmsTokenCipher(() -> kms, () -> e.required("TOKEN_KEY_ID")));
        SecretReader secrets = new SecretReader(secretsManager);
        Supplier<ShineClient> shine = () -> {
            ShineConfig config = new ShineConfig(URI.create(e.required("SHINE_API_BASE_URL")),
                    new ClientCredentials(stack.sandbox.clientId(), Secret.of(stack.sandbox.clientSecret())),
                    e.millis("SHINE_CONNECT_TIMEOUT_MS", ShineConfig.DEFAULT_CONNECT_TIMEOUT),
                    e.millis("SHINE_REQUEST_TIMEOUT_MS", ShineConfig.DEFAULT_REQUEST_TIMEOUT),
                    e.millis("SHINE_EXECUTE_TIMEOUT_MS", ShineConfig.DEFAULT_EXECUTE_TIMEOUT),
                    ShineConfig.actionsFromEnv(e));
            return new ShineClient(config, new CallTimer.TimedHttpClient(HttpClient.newBuilder()
                    .connectTimeout(config.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build()));
        };
        return new FlowServices(settings, ShineConfig.actionsFromEnv(e), store, () -> secrets, shine,
                () -> {
                    throw new IllegalStateException("the step handlers start no execution");
                }, Clock.systemUTC());
    }
}
