package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.RepoRoot;
import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.log.Log;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code make invoke FUNCTION=<logical id> EVENT=events/<file>.json}: what {@code sam local invoke -e} does, without
 * Docker. The local stack starts (moto, the Shine sandbox, Step Functions, the local Lambda service in its
 * runtime-client mode: the function's own JVM, from its {@code sam build} output, under the runtime interface
 * client), the state the event assumes is seeded ({@link EventSeeds}; {@code --no-seed} skips it), and the function
 * is invoked once through the Lambda Invoke API. Its result, or its error as Lambda reports it, is printed on stdout;
 * everything else (the function's logs, the stack's messages) on stderr. Exit 0 on success, 1 on a function error,
 * 2 on bad usage, 3 when the stack could not run it.
 */
public final class InvokeMain {

    private static final String USAGE = """
            usage: make invoke FUNCTION=<function logical id> EVENT=<event file> [ARGS=--no-seed]
              e.g. make invoke FUNCTION=PollActionRequestFunction EVENT=events/poll-action-request.json
              --no-seed   invoke with the stack as it starts (no flow or user prepared for the event)""";

    private InvokeMain() {
    }

    public static void main(String[] args) {
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // stdout carries the result only
        Log.redirect(System.err);
        String function = null;
        String eventFile = null;
        boolean seed = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--function" -> function = i + 1 < args.length ? args[++i] : null;
                case "--event" -> eventFile = i + 1 < args.length ? args[++i] : null;
                case "--no-seed" -> seed = false;
                default -> usage("unknown option: " + args[i]);
            }
        }
        if (function == null || function.isBlank() || eventFile == null || eventFile.isBlank()) {
            usage("FUNCTION and EVENT are both needed");
        }
        Path root = RepoRoot.find();
        Path event = root.resolve(eventFile);
        byte[] payload;
        JsonNode json;
        try {
            payload = Files.readAllBytes(event);
            json = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            usage("cannot read the event " + event + ": " + e.getMessage());
            return;
        }
        SamTemplate template = SamTemplate.read(root.resolve("template.yaml"));
        if (!template.functions().containsKey(function)) {
            usage("no function " + function + " in template.yaml; its functions: " + template.functions().keySet());
        }
        System.exit(invoke(root, function, payload, json, seed, stdout));
    }

    private static int invoke(Path root, String function, byte[] payload, JsonNode event, boolean seed,
                              PrintStream stdout) {
        RuntimeClientConfig runtime = RuntimeClientConfig.of(root, System.err);
        System.err.println("== starting the local stack (moto, Shine sandbox, Step Functions, Lambda: runtime client)");
        try (LocalDeployment stack = LocalDeployment.start(Map.of(), Optional.empty(),
                SandboxConfig.defaults().withPort(0), 0, runtime, Optional.empty())) {
            if (seed) {
                System.err.println("== seeded: " + new EventSeeds(stack).prepare(function, event));
            }
            System.err.println("== invoking " + function + " with its own JVM (" + RuntimeClientFunctions.MAIN_CLASS
                    + ")");
            HttpResponse<String> response = post(stack.lambda().endpoint(), function, payload);
            String functionError = response.headers().firstValue("X-Amz-Function-Error").orElse(null);
            stdout.println(response.body());
            if (response.statusCode() != 200) {
                System.err.println("== the Lambda service refused the invocation: HTTP " + response.statusCode());
                return 3;
            }
            if (functionError != null) {
                System.err.println("== function error (X-Amz-Function-Error: " + functionError + ")");
                return 1;
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("== cannot invoke " + function + ": " + e.getMessage());
            return 3;
        }
    }

    private static HttpResponse<String> post(URI endpoint, String function, byte[] payload) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(LocalLambdaService.PATH_PREFIX
                        + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/invocations"))
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the Invoke call failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
