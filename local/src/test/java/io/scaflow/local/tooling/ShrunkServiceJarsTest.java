package io.scaflow.local.tooling;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.scaflow.local.emulator.RepoRoot;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AWS SDK service jars as ProGuard shrank them into each function's package (functions/Makefile,
 * functions/service-jars.pro; docs/tooling.md, "Packages"), loaded from that package alone: every class left links
 * and initializes (its recomputed stack map frames pass the verifier, nothing it refers to was removed), every
 * operation the project's bytecode calls is still there, every modeled exception of the original jar is still
 * there and builds, and an error response of the service is unmarshalled into its modeled exception through the
 * shrunk client. Needs the {@code sam build} output (make sam-build).
 */
class ShrunkServiceJarsTest {

    private static final Path BUILD = RepoRoot.find().resolve(".aws-sam/build");
    private static final String SERVICES = "software.amazon.awssdk.services.";
    /** Per service, error codes its modeled exceptions are unmarshalled from (the code catches most of them). */
    private static final Map<String, Map<String, String>> ERRORS = Map.of(
            "dynamodb", Map.of("ConditionalCheckFailedException", "ConditionalCheckFailedException",
                    "TransactionCanceledException", "TransactionCanceledException"),
            "kms", Map.of("NotFoundException", "NotFoundException",
                    "KMSInvalidStateException", "KmsInvalidStateException"),
            "secretsmanager", Map.of("ResourceNotFoundException", "ResourceNotFoundException"),
            "sfn", Map.of("ExecutionAlreadyExists", "ExecutionAlreadyExistsException",
                    "ExecutionDoesNotExist", "ExecutionDoesNotExistException"),
            "eventbridge", Map.of("ResourceNotFoundException", "ResourceNotFoundException"));

    private static final AtomicReference<String> ERROR_CODE = new AtomicReference<>();
    private static HttpServer server;

    static Stream<FunctionPackage> packages() throws IOException {
        assertThat(BUILD).as("sam build output (make sam-build)").isDirectory();
        try (Stream<Path> list = Files.list(BUILD)) {
            return list.filter(p -> Files.isDirectory(p.resolve("lib"))).sorted()
                    .map(p -> new FunctionPackage(p.getFileName().toString(), p)).toList().stream();
        }
    }

    /** A service endpoint that answers every request with the error {@link #ERROR_CODE} names. */
    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String code = ERROR_CODE.get();
            byte[] body = ("{\"__type\":\"" + code + "\",\"message\":\"scaflow test error\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().add("x-amzn-ErrorType", code);
            exchange.getResponseHeaders().add("x-amzn-RequestId", "scaflow-test");
            exchange.sendResponseHeaders(400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void everyClassOfItsShrunkServiceJarsLinksAndInitializes(FunctionPackage pkg) throws IOException {
        List<String> failures = new ArrayList<>();
        try (URLClassLoader loader = pkg.loader()) {
            for (Path jar : pkg.serviceJars().values()) {
                for (String name : FunctionPackage.classNames(jar)) {
                    try {
                        Class.forName(name, true, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        failures.add(name + ": " + e);
                    }
                }
            }
        }
        assertThat(failures).as(pkg.function()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void everyOperationItsCodeCallsIsKept(FunctionPackage pkg) throws Exception {
        Set<FunctionPackage.Operation> operations = pkg.operationsCalled(pkg.serviceJars().keySet());
        assertThat(operations).as(pkg.function() + " calls operations of the services it ships").isNotEmpty();
        List<String> missing = new ArrayList<>();
        try (URLClassLoader loader = pkg.loader()) {
            for (FunctionPackage.Operation op : operations) {
                String prefix = SERVICES + op.service() + ".";
                Class<?> request = loader.loadClass(op.requestClass());
                for (String impl : List.of(prefix + op.client() + "Client",
                        prefix + "Default" + op.client() + "Client")) {
                    try {
                        loader.loadClass(impl).getDeclaredMethod(op.method(), request);
                    } catch (NoSuchMethodException e) {
                        missing.add(impl + "." + op.method());
                    }
                }
                for (String used : List.of(prefix + "transform." + op.name() + "RequestMarshaller",
                        prefix + "model." + op.name() + "Response")) {
                    try {
                        loader.loadClass(used);
                    } catch (ClassNotFoundException e) {
                        missing.add(used);
                    }
                }
            }
        }
        assertThat(missing).as(pkg.function()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void everyModeledExceptionOfTheOriginalJarIsKeptAndBuilds(FunctionPackage pkg) throws Exception {
        List<String> failures = new ArrayList<>();
        try (URLClassLoader loader = pkg.loader()) {
            Class<?> builderType = sdk(loader, "awscore.exception.AwsServiceException$Builder");
            Class<?> sdkBuilderType = sdk(loader, "core.exception.SdkException$Builder");
            for (Map.Entry<String, Path> jar : pkg.serviceJars().entrySet()) {
                Set<String> exceptions = modeledExceptions(original(jar.getKey(), jar.getValue()), jar.getKey());
                assertThat(exceptions).as("modeled exceptions of " + jar.getKey()).isNotEmpty();
                for (String name : exceptions) {
                    try {
                        Class<?> type = loader.loadClass(name);
                        Object builder = type.getMethod("builder").invoke(null);
                        builderType.getMethod("message", String.class).invoke(builder, "built");
                        Object built = sdkBuilderType.getMethod("build").invoke(builder);
                        if (!type.isInstance(built)) {
                            failures.add(name + " built " + built.getClass().getName());
                        }
                    } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError e) {
                        failures.add(name + ": " + e);
                    }
                }
            }
        }
        assertThat(failures).as(pkg.function()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void aServiceErrorIsUnmarshalledIntoItsModeledException(FunctionPackage pkg) throws Exception {
        try (URLClassLoader loader = pkg.loader()) {
            for (String service : pkg.serviceJars().keySet()) {
                FunctionPackage.Operation op = pkg.anOperationOf(service).orElseThrow(
                        () -> new AssertionError(pkg.function() + " ships " + service + " but calls none of it"));
                Object client = client(loader, op);
                for (Map.Entry<String, String> error : ERRORS.get(service).entrySet()) {
                    ERROR_CODE.set(error.getKey());
                    Throwable thrown = call(loader, client, op);
                    assertThat(thrown.getClass().getName()).as(pkg.function() + " " + op + " on " + error.getKey())
                            .isEqualTo(SERVICES + service + ".model." + error.getValue());
                    assertThat(thrown.getMessage()).contains("scaflow test error");
                }
                ((AutoCloseable) client).close();
            }
        }
    }

    /** The operation's service client, built from the package's own classes, against {@link #server}. */
    private static Object client(ClassLoader loader, FunctionPackage.Operation op) throws Exception {
        Object builder = loader.loadClass(SERVICES + op.service() + "." + op.client() + "Client")
                .getMethod("builder").invoke(null);
        Class<?> awsBuilder = sdk(loader, "awscore.client.builder.AwsClientBuilder");
        Class<?> region = sdk(loader, "regions.Region");
        awsBuilder.getMethod("region", region).invoke(builder,
                region.getMethod("of", String.class).invoke(null, "eu-west-3"));
        Object credentials = sdk(loader, "auth.credentials.AwsBasicCredentials")
                .getMethod("create", String.class, String.class).invoke(null, "test", "test");
        Object provider = sdk(loader, "auth.credentials.StaticCredentialsProvider")
                .getMethod("create", sdk(loader, "auth.credentials.AwsCredentials")).invoke(null, credentials);
        awsBuilder.getMethod("credentialsProvider", sdk(loader, "auth.credentials.AwsCredentialsProvider"))
                .invoke(builder, provider);
        sdk(loader, "core.client.builder.SdkClientBuilder").getMethod("endpointOverride", URI.class)
                .invoke(builder, URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
        return sdk(loader, "utils.builder.SdkBuilder").getMethod("build").invoke(builder);
    }

    /** An SDK class ({@code software.amazon.awssdk.} + {@code name}) as the package's loader has it. */
    private static Class<?> sdk(ClassLoader loader, String name) throws ClassNotFoundException {
        return loader.loadClass("software.amazon.awssdk." + name);
    }

    /** Calls the operation with an empty request; what it threw. */
    private static Throwable call(ClassLoader loader, Object client, FunctionPackage.Operation op) throws Exception {
        Class<?> request = loader.loadClass(op.requestClass());
        Object builder = request.getMethod("builder").invoke(null);
        Object built = sdk(loader, "utils.builder.SdkBuilder").getMethod("build").invoke(builder);
        try {
            loader.loadClass(SERVICES + op.service() + "." + op.client() + "Client").getMethod(op.method(), request)
                    .invoke(client, built);
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
        throw new AssertionError(op + " succeeded against an endpoint that answers every request with an error");
    }

    /** The jar the shrunk one was made from: the same artifact on this module's class path (same version). */
    private static Path original(String service, Path shrunk) throws URISyntaxException {
        URL url = ShrunkServiceJarsTest.class.getClassLoader()
                .getResource("software/amazon/awssdk/services/" + service + "/");
        assertThat(url).as(service + " on the test class path").isNotNull();
        String spec = url.toString();
        Path jar = Path.of(new URI(spec.substring("jar:".length(), spec.indexOf("!/"))));
        String version = shrunk.getFileName().toString().replaceAll("^.*-([0-9][0-9.]*)\\.jar$", "$1");
        assertThat(jar.getFileName().toString()).as("the original of " + shrunk)
                .isEqualTo(service + "-" + version + ".jar");
        return jar;
    }

    /** The service's exceptions in the original jar (as this module's class path has them). */
    private static Set<String> modeledExceptions(Path jar, String service) throws ClassNotFoundException {
        Set<String> names = new TreeSet<>();
        String model = SERVICES + service + ".model.";
        for (String name : FunctionPackage.classNames(jar)) {
            if (name.startsWith(model) && name.indexOf('$') < 0 && AwsServiceException.class.isAssignableFrom(
                    Class.forName(name, false, ShrunkServiceJarsTest.class.getClassLoader()))) {
                names.add(name);
            }
        }
        return names;
    }
}
