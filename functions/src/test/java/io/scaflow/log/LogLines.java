package io.scaflow.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Captures the log lines ({@link Log}) written while it is open, each read back as JSON. */
public final class LogLines implements AutoCloseable {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream previous;

    public LogLines() {
        previous = Log.redirect(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    public List<JsonNode> all() {
        List<JsonNode> lines = new ArrayList<>();
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    lines.add(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return lines;
    }

    @Override
    public void close() {
        Log.redirect(previous);
    }
}
