package io.scaflow.local.stack;

import io.scaflow.local.LocalHttpServers;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.config.Env;
import io.scaflow.flow.FlowServices;
import io.scaflow.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) on 127.0.0.1, hosting the template's
 * {@code AWS::Serverless::Function}s in this JVM.
 *
 * <p>A function is named by its template logical id, as a plain name, {@code NAME:QUALIFIER}, or a full or partial
 * ARN. Its handler class (from the template's {@code Handler}) is instantiated once, on first invocation, with a
 * public constructor taking {@link FlowServices} (built from the function's environment), else a public no-arg one.
 * Invocations may run concurrently on that one instance (AWS would use one instance per concurrent invocation).
 *
 * <p>Answers as Lambda does: 200 with the handler's output; a handler exception as 200 with
 * {@code X-Amz-Function-Error: Unhandled} and {@code {"errorType", "errorMessage", "stackTrace": []}}; an unknown
 * function as 404 {@code ResourceNotFoundException}. See docs/local-stack.md.
 */
public final class LocalLambdaService implements AutoCloseable {

    /** The Invoke API's path prefix. */
    public static final String PATH_PREFIX = "/2015-03-31/functions/";
    private static final String PATH_SUFFIX = "/invocations";
    private static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final ExecutorService workers;
    private final Map<String, LocalFunction> functions;
    private final String region;
    private final String accountId;
    private final boolean enforceTimeouts;
    private final Clock clock;

    private LocalLambdaService(Builder builder, Map<String, LocalFunction> functions) throws IOException {
        this.functions = functions;
        this.region = builder.region;
        this.accountId = builder.accountId;
        this.enforceTimeouts = builder.enforceTimeouts;
        this.clock = builder.clock;
        this.httpThreads = Executors.newFixedThreadPool(builder.threads, daemonThreads("local-lambda-http"));
        this.workers = Executors.newCachedThreadPool(daemonThreads("local-lambda-invoke"));
        this.server = LocalHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 64);
        server.setExecutor(httpThreads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A builder for the functions of {@code template}. */
    public static Builder builder(SamTemplate template) {
        return new Builder(template);
    }

    /** Settings of a {@link LocalLambdaService}. */
    public static final class Builder {
        private final SamTemplate template;
        private final Map<String, String> parameters = new HashMap<>();
        private final Map<String, String> references = new HashMap<>();
        private final Map<String, String> environment = new HashMap<>();
        private Clock clock = Clock.systemUTC();
        private int port;
        private int threads = 16;
        private String region = "eu-west-3";
        private String accountId = "123456789012";
        private String stackName = "scaflow-local";
        private boolean enforceTimeouts = true;

        private Builder(SamTemplate template) {
            this.template = template;
        }

        /** Template parameter values replacing their defaults. */
        public Builder parameters(Map<String, String> values) {
            parameters.putAll(values);
            return this;
        }

        /**
         * Values of {@code Ref}s ({@code "FlowTable" -> table name}), {@code GetAtt}s ({@code "X.Arn" -> ...}) and
         * {@code Sub} variables; they win over parameters, pseudo parameters and the functions' own references.
         */
        public Builder references(Map<String, String> values) {
            references.putAll(values);
            return this;
        }

        /** Variables set on every function after the template's (AWS endpoint, credentials, ...). */
        public Builder environment(Map<String, String> values) {
            environment.putAll(values);
            return this;
        }

        /** The clock given to {@link FlowServices#create(Env, Clock)}. */
        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        /** The port on 127.0.0.1 (0, the default: a free one). */
        public Builder port(int value) {
            port = value;
            return this;
        }

        /** HTTP threads, i.e. concurrent invocations (16 by default). */
        public Builder threads(int value) {
            threads = value;
            return this;
        }

        /** Region and account of the ARNs (eu-west-3, 123456789012 by default). */
        public Builder account(String regionId, String account) {
            region = regionId;
            accountId = account;
            return this;
        }

        /** {@code AWS::StackName} ("scaflow-local" by default). */
        public Builder stackName(String value) {
            stackName = value;
            return this;
        }

        /** Whether an invocation longer than the function's Timeout fails with Sandbox.Timedout (default true). */
        public Builder enforceTimeouts(boolean value) {
            enforceTimeouts = value;
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
            });
            refs.putAll(references);
            Map<String, LocalFunction> functions = new LinkedHashMap<>();
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
                functions.put(function.logicalId(), new LocalFunction(function, new Env(env)));
            }
            try {
                return new LocalLambdaService(this, Collections.unmodifiableMap(functions));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the local Lambda service", e);
            }
        }
    }

    /** {@code X -> X}, {@code X.Arn -> function ARN}, {@code X.Alias -> alias ARN} (when the function has one). */
    private static Map<String, String> functionReferences(SamTemplate.Function f, String region, String account) {
        String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + f.logicalId();
        Map<String, String> refs = new HashMap<>();
        refs.put(f.logicalId(), f.logicalId());
        refs.put(f.logicalId() + ".Arn", arn);
        refs.put(f.logicalId() + ".Alias", f.autoPublishAlias() == null ? arn : arn + ":" + f.autoPublishAlias());
        return refs;
    }

    /** The endpoint to give the SDK ({@code endpointOverride}, {@code AWS_ENDPOINT_URL_LAMBDA}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The hosted functions' names (template logical ids). */
    public Set<String> functionNames() {
        return functions.keySet();
    }

    /** {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}. */
    public String functionArn(String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + function(name).definition.logicalId();
    }

    /**
     * What a state machine's {@code DefinitionSubstitutions} and other references to the functions resolve to:
     * for each function X, {@code X} (its name), {@code X.Arn} and {@code X.Alias} (the ARN qualified by its
     * AutoPublishAlias, as {@code !Ref X.Alias} gives in AWS).
     */
    public Map<String, String> functionReferences() {
        Map<String, String> refs = new LinkedHashMap<>();
        functions.values().forEach(f -> refs.putAll(functionReferences(f.definition, region, accountId)));
        return refs;
    }

    /** The environment a function's handler gets (template values resolved, then the local overrides). */
    public Env environment(String name) {
        return function(name).env;
    }

    /** Invocations of a function so far (successful or not; DryRun excluded). */
    public long invocations(String name) {
        return function(name).invocations.get();
    }

    /** Invocations so far by function name. */
    public Map<String, Long> invocationCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        functions.forEach((name, f) -> counts.put(name, f.invocations.get()));
        return counts;
    }

    /** Sets every invocation counter back to zero. */
    public void resetInvocationCounts() {
        functions.values().forEach(f -> f.invocations.set(0));
    }

    @Override
    public void close() {
        server.stop(0);
        httpThreads.shutdownNow();
        workers.shutdownNow();
    }

    private LocalFunction function(String name) {
        LocalFunction function = functions.get(name);
        if (function == null) {
            throw new IllegalArgumentException("no function " + name + " in the template");
        }
        return function;
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            String path = exchange.getRequestURI().getRawPath();
            if (!path.startsWith(PATH_PREFIX) || !path.endsWith(PATH_SUFFIX)
                    || path.length() <= PATH_PREFIX.length() + PATH_SUFFIX.length()) {
                sendError(exchange, 404, "UnknownOperationException", "Unknown operation " + path);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                sendError(exchange, 405, "UnknownOperationException", "Invoke takes POST");
                return;
            }
            String rawName = path.substring(PATH_PREFIX.length(), path.length() - PATH_SUFFIX.length());
            String name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
            FunctionName target = FunctionName.parse(name, queryParameter(exchange, "Qualifier"));
            LocalFunction function = target == null ? null : functions.get(target.name());
            if (function == null || !function.acceptsQualifier(target.qualifier())) {
                String arn = target == null ? name : "arn:aws:lambda:" + region + ":" + accountId + ":function:"
                        + target.name() + (target.qualifier() == null ? "" : ":" + target.qualifier());
                sendError(exchange, 404, "ResourceNotFoundException", "Function not found: " + arn);
                return;
            }
            byte[] payload = exchange.getRequestBody().readNBytes(MAX_PAYLOAD_BYTES + 1);
            if (payload.length > MAX_PAYLOAD_BYTES) {
                sendError(exchange, 413, "RequestTooLargeException", "Request must be smaller than "
                        + MAX_PAYLOAD_BYTES + " bytes for the InvokeFunction operation");
                return;
            }
            if (payload.length == 0) {
                payload = "{}".getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    Json.MAPPER.readTree(payload);
                } catch (IOException e) {
                    sendError(exchange, 400, "InvalidRequestContentException", "Could not parse request body into json");
                    return;
                }
            }
            String invocationType = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
            if ("DryRun".equals(invocationType)) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            String invokedArn = functionArn(function.definition.logicalId())
                    + (target.qualifier() == null ? "" : ":" + target.qualifier());
            byte[] input = payload;
            if ("Event".equals(invocationType)) {
                function.invocations.incrementAndGet();
                workers.submit(() -> run(function, input, requestId, invokedArn));
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            function.invocations.incrementAndGet();
            Outcome outcome = runWithTimeout(function, input, requestId, invokedArn);
            if (outcome.errorType != null) {
                exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
                ObjectNode body = Json.MAPPER.createObjectNode()
                        .put("errorType", outcome.errorType)
                        .put("errorMessage", outcome.errorMessage);
                body.putArray("stackTrace");
                send(exchange, 200, Json.MAPPER.writeValueAsBytes(body));
            } else {
                send(exchange, 200, outcome.output);
            }
        } catch (RuntimeException e) {
            sendError(exchange, 500, "ServiceException", "local Lambda service failure: " + e.getClass().getName());
        }
    }

    private Outcome runWithTimeout(LocalFunction function, byte[] input, String requestId, String invokedArn) {
        if (!enforceTimeouts) {
            return run(function, input, requestId, invokedArn);
        }
        Future<Outcome> future = workers.submit(() -> run(function, input, requestId, invokedArn));
        int timeout = function.definition.timeoutSeconds();
        try {
            return future.get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Outcome.failure("Sandbox.Timedout", String.format(java.util.Locale.ROOT,
                    "Task timed out after %d.00 seconds", timeout));
        } catch (ExecutionException e) {
            return Outcome.failure(e.getCause().getClass().getName(), message(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failure("Runtime.Interrupted", "the local Lambda service is stopping");
        }
    }

    private Outcome run(LocalFunction function, byte[] input, String requestId, String invokedArn) {
        Handler handler;
        try {
            handler = function.handler(clock);
        } catch (InitFailure e) {
            return Outcome.failure(e.errorType, e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        long deadline = System.currentTimeMillis() + function.definition.timeoutSeconds() * 1000L;
        Context context = new LocalContext(function.definition.logicalId(), requestId, invokedArn, deadline);
        try {
            handler.invoke(new ByteArrayInputStream(input), output, context);
            return Outcome.success(output.toByteArray());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Outcome.failure(cause.getClass().getName(), message(cause));
        } catch (IllegalAccessException | RuntimeException e) {
            return Outcome.failure(e.getClass().getName(), message(e));
        }
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    }

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        ObjectNode body = Json.MAPPER.createObjectNode().put("Type", status >= 500 ? "Service" : "User")
                .put("message", message);
        send(exchange, status, Json.MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ------------------------------------------------------------------------------------------------ functions

    /** A function name from the path: {@code NAME}, {@code NAME:QUALIFIER}, or a full or partial ARN. */
    record FunctionName(String name, String qualifier) {
        static FunctionName parse(String value, String queryQualifier) {
            String[] parts = value.split(":", -1);
            FunctionName parsed;
            if (parts.length >= 7 && parts[0].equals("arn") && parts[2].equals("lambda") && parts[5].equals("function")
                    && parts.length <= 8) {
                parsed = new FunctionName(parts[6], parts.length == 8 ? parts[7] : null);
            } else if (parts.length >= 3 && parts.length <= 4 && parts[1].equals("function")) {
                parsed = new FunctionName(parts[2], parts.length == 4 ? parts[3] : null);
            } else if (parts.length <= 2) {
                parsed = new FunctionName(parts[0], parts.length == 2 ? parts[1] : null);
            } else {
                return null;
            }
            if (parsed.name.isEmpty() || (parsed.qualifier != null && parsed.qualifier.isEmpty())) {
                return null;
            }
            if (queryQualifier != null && !queryQualifier.isEmpty()) {
                if (parsed.qualifier != null && !parsed.qualifier.equals(queryQualifier)) {
                    return null;
                }
                return new FunctionName(parsed.name, queryQualifier);
            }
            return parsed;
        }
    }

    private record Outcome(byte[] output, String errorType, String errorMessage) {
        static Outcome success(byte[] output) {
            return new Outcome(output, null, null);
        }

        static Outcome failure(String type, String message) {
            return new Outcome(null, type, message);
        }
    }

    /** A failure to load or construct the handler, reported as the Java runtime does. */
    private static final class InitFailure extends Exception {
        final String errorType;

        InitFailure(String errorType, String message) {
            super(message, null, false, false);
            this.errorType = errorType;
        }
    }

    private interface Handler {
        void invoke(InputStream in, OutputStream out, Context context) throws InvocationTargetException, IllegalAccessException;
    }

    private static final class LocalFunction {
        final SamTemplate.Function definition;
        final Env env;
        final AtomicLong invocations = new AtomicLong();
        private volatile Handler handler;

        LocalFunction(SamTemplate.Function definition, Env env) {
            this.definition = definition;
            this.env = env;
        }

        boolean acceptsQualifier(String qualifier) {
            return qualifier == null || qualifier.equals("$LATEST") || qualifier.equals(definition.autoPublishAlias())
                    || qualifier.chars().allMatch(Character::isDigit);
        }

        /** The handler, loaded and constructed on first use; a failed init is tried again next time, as in Lambda. */
        Handler handler(Clock clock) throws InitFailure {
            Handler current = handler;
            if (current == null) {
                synchronized (this) {
                    if (handler == null) {
                        handler = load(clock);
                    }
                    current = handler;
                }
            }
            return current;
        }

        private Handler load(Clock clock) throws InitFailure {
            String className = definition.handlerClass();
            String methodName = definition.handlerMethod();
            Class<?> type;
            try {
                type = Class.forName(className, true, LocalLambdaService.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new InitFailure(ClassNotFoundException.class.getName(), "Class not found: " + className);
            } catch (LinkageError e) {
                throw new InitFailure(e.getClass().getName(), "Error loading class " + className + ": " + e.getMessage());
            }
            Method method = findMethod(type, methodName);
            if (method == null) {
                throw new InitFailure(NoSuchMethodException.class.getName(), "No public method named " + methodName
                        + " with appropriate method signature found on class " + className);
            }
            Object instance = Modifier.isStatic(method.getModifiers()) ? null : instantiate(type, clock);
            boolean withContext = method.getParameterCount() == 3;
            return (in, out, context) -> {
                if (withContext) {
                    method.invoke(instance, in, out, context);
                } else {
                    method.invoke(instance, in, out);
                }
            };
        }

        private Object instantiate(Class<?> type, Clock clock) throws InitFailure {
            try {
                Constructor<?> withServices = publicConstructor(type, FlowServices.class);
                if (withServices != null) {
                    return withServices.newInstance(FlowServices.create(env, clock));
                }
                Constructor<?> noArgs = publicConstructor(type);
                if (noArgs == null) {
                    throw new InitFailure(NoSuchMethodException.class.getName(), "Class " + type.getName()
                            + " has no public constructor taking FlowServices nor a public zero-argument constructor");
                }
                return noArgs.newInstance();
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new InitFailure(cause.getClass().getName(), "Error loading class " + type.getName() + ": "
                        + message(cause));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new InitFailure(e.getClass().getName(), "Error loading class " + type.getName() + ": " + message(e));
            }
        }

        private static Constructor<?> publicConstructor(Class<?> type, Class<?>... parameters) {
            try {
                return type.getConstructor(parameters);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }

        private static Method findMethod(Class<?> type, String name) {
            for (Class<?>[] signature : new Class<?>[][] {
                    {InputStream.class, OutputStream.class, Context.class}, {InputStream.class, OutputStream.class}}) {
                try {
                    return type.getMethod(name, signature);
                } catch (NoSuchMethodException e) {
                    // next signature
                }
            }
            return null;
        }
    }

    /** The {@link Context} handed to handlers: names, request id, remaining time from the function's Timeout. */
    private static final class LocalContext implements Context {
        private final String functionName;
        private final String requestId;
        private final String invokedArn;
        private final long deadlineMillis;

        LocalContext(String functionName, String requestId, String invokedArn, long deadlineMillis) {
            this.functionName = functionName;
            this.requestId = requestId;
            this.invokedArn = invokedArn;
            this.deadlineMillis = deadlineMillis;
        }

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + functionName;
        }

        @Override
        public String getLogStreamName() {
            return "local";
        }

        @Override
        public String getFunctionName() {
            return functionName;
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return invokedArn;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
