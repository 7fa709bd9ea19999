package io.scaflow.local.iam;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records every AWS call the hosted functions make, one JSON line each, in the file named by the system property
 * {@value #PROPERTY} (the local module's tests set it to {@code local/target/aws-calls.jsonl}); without it nothing
 * is recorded. {@code tools/iam-check.py} evaluates the lines against the roles of the SAM-transformed template.
 *
 * <p>A call is attributed to its principal as IAM does it, by its credentials: the local Lambda service gives each
 * function an access key id of its own ({@link #principal}), and {@link AwsCallInterceptor} reads the key id from
 * the request's SigV4 {@code Authorization} header. Calls signed with any other key (the tests' own clients, the
 * stack's set-up) are not recorded.
 *
 * <p>Lines: {@code {"type": "deployment", "deployment", "template", "region", "account", "references"}} once per
 * local Lambda service (what its {@code Ref}s, {@code GetAtt}s and parameters resolve to), then
 * {@code {"type": "call", "deployment", "principal", "service", "action", "resources", "context", "outcome"}} per
 * call.
 */
public final class AwsCallRecorder {

    /** The system property naming the file the records are appended to. */
    public static final String PROPERTY = "scaflow.aws-calls";

    /** Who a key id belongs to: a template resource (a function) of one local deployment. */
    public record Principal(String deployment, String logicalId, String account) {
    }

    private static final Map<String, Principal> PRINCIPALS = new ConcurrentHashMap<>();
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static final AtomicInteger KEYS = new AtomicInteger();
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);

    private AwsCallRecorder() {
    }

    /** Whether calls are recorded in this JVM (the system property is set). */
    public static boolean enabled() {
        return file().isPresent();
    }

    /**
     * A new local deployment of {@code template}: its id, written with what its references resolve to (template
     * parameters, pseudo parameters, resources' names and ARNs); nothing is written when recording is off.
     */
    public static String deployment(Optional<Path> template, String region, String account,
                                    Map<String, String> references) {
        String id = "d" + RUN + "-" + DEPLOYMENTS.incrementAndGet();
        if (enabled()) {
            ObjectNode line = Json.MAPPER.createObjectNode().put("type", "deployment").put("deployment", id)
                    .put("template", template.map(p -> p.toAbsolutePath().normalize().toString()).orElse(null))
                    .put("region", region).put("account", account);
            ObjectNode refs = line.putObject("references");
            new TreeMap<>(references).forEach(refs::put);
            write(line);
        }
        return id;
    }

    /**
     * The access key id a function of {@code deployment} signs its calls with (as its role's session key in AWS):
     * unique to this function of this deployment, so that every call it makes is attributed to it.
     */
    public static String principal(String deployment, String logicalId, String account) {
        String keyId = "ASIALOCAL" + KEYS.incrementAndGet() + "X"
                + logicalId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        PRINCIPALS.put(keyId, new Principal(deployment, logicalId, account));
        return keyId;
    }

    static Optional<Principal> principalOf(String keyId) {
        return Optional.ofNullable(keyId == null ? null : PRINCIPALS.get(keyId));
    }

    static void write(ObjectNode line) {
        Optional<Path> file = file();
        if (file.isEmpty()) {
            return;
        }
        synchronized (AwsCallRecorder.class) {
            try {
                Files.createDirectories(file.get().toAbsolutePath().getParent());
                try (Writer out = Files.newBufferedWriter(file.get(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    out.write(Json.MAPPER.writeValueAsString(line));
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the AWS call records to " + file.get(), e);
            }
        }
    }

    private static Optional<Path> file() {
        String value = System.getProperty(PROPERTY);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }
}
