package io.scaflow.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/**
 * Structured JSON logs, one object a line on stdout (CloudWatch Logs keeps each line as an event).
 * Callers pass only ids, statuses and numbers: never a client secret, access token or short-lived token.
 */
public final class Log {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static volatile PrintStream out = System.out;
    private static final Level THRESHOLD = parseLevel(System.getenv("LOG_LEVEL"));

    private final String logger;

    private Log(String logger) {
        this.logger = logger;
    }

    public static Log of(Class<?> type) {
        return new Log(type.getSimpleName());
    }

    /** Tests capture the log stream to check that no secret is written. */
    public static void redirect(PrintStream stream) {
        out = stream;
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
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            line.set(String.valueOf(keyValues[i]), Json.MAPPER.valueToTree(value instanceof Map<?, ?> || value == null
                    || value instanceof Number || value instanceof Boolean ? value : String.valueOf(value)));
        }
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
