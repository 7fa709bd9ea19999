package io.scaflow.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * Structured JSON logs, one object a line on stdout (CloudWatch Logs keeps each line as an event).
 * Callers pass only ids, statuses and numbers: never a client secret, access token or short-lived token.
 */
public final class Log {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    /**
     * Where lines go: stdout (Lambda's log stream), or the file named by the system property {@code scaflow.log.file}
     * (appended to), which the test runs set so that the console shows the test runner's lines only.
     */
    private static volatile PrintStream out = destination(System.getProperty("scaflow.log.file"));
    private static final Level THRESHOLD = parseLevel(System.getenv("LOG_LEVEL"));

    private final String logger;

    private Log(String logger) {
        this.logger = logger;
    }

    public static Log of(Class<?> type) {
        return new Log(type.getSimpleName());
    }

    /** Tests capture the log stream to check that no secret is written; gives the stream lines went to until now. */
    public static PrintStream redirect(PrintStream stream) {
        PrintStream previous = out;
        out = stream;
        return previous;
    }

    private static PrintStream destination(String file) {
        if (file == null || file.isBlank()) {
            return System.out;
        }
        try {
            Path path = Path.of(file);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            return new PrintStream(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                    true, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            System.err.println("scaflow.log.file " + file + " cannot be written (" + e + "): logging to stdout");
            return System.out;
        }
    }

    public void debug(String message, Object... keyValues) {
        write(Level.DEBUG, message, keyValues);
    }

    public void info(String message, Object... keyValues) {
        write(Level.INFO, message, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        write(Level.WARN, message, keyValues);
    }

    public void error(String message, Object... keyValues) {
        write(Level.ERROR, message, keyValues);
    }

    private void write(Level level, String message, Object... keyValues) {
        if (level.ordinal() < THRESHOLD.ordinal()) {
            return;
        }
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("logger", logger);
        line.put("message", message);
        LogContext.Fields context = LogContext.current();
        if (context != null) {
            putContext(line, context);
        }
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            line.set(String.valueOf(keyValues[i]), Json.MAPPER.valueToTree(value instanceof Map<?, ?> || value == null
                    || value instanceof Number || value instanceof Boolean ? value : String.valueOf(value)));
        }
        print(line);
    }

    /** The invocation's context fields: request id, function, cold start, flow id (when known). */
    static void putContext(ObjectNode line, LogContext.Fields context) {
        if (context.requestId != null) {
            line.put("requestId", context.requestId);
        }
        line.put("function", context.function);
        line.put("coldStart", context.coldStart);
        if (context.flowId != null) {
            line.put("flowId", context.flowId);
        }
    }

    /** One JSON object as one line of the log stream (metric lines share it: CloudWatch reads both there). */
    static void print(ObjectNode line) {
        try {
            out.println(Json.MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            out.println("{\"level\":\"ERROR\",\"message\":\"log line could not be written\"}");
        }
    }

    private static Level parseLevel(String value) {
        if (value == null) {
            return Level.INFO;
        }
        try {
            return Level.valueOf(value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            return Level.INFO;
        }
    }
}
