package io.scaflow.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Captures the metric lines written while it is open; {@link #named(String)} picks those carrying a metric. */
public final class MetricLines implements AutoCloseable {

    private final List<ObjectNode> lines = new ArrayList<>();
    private final Consumer<ObjectNode> previous;

    public MetricLines() {
        previous = Metrics.redirect(line -> {
            synchronized (lines) {
                lines.add(line);
            }
        });
    }

    public List<ObjectNode> all() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The lines that define the metric {@code name} (in their embedded-metric directive). */
    public List<ObjectNode> named(String name) {
        return all().stream().filter(line -> {
            for (JsonNode metric : line.path("_aws").path("CloudWatchMetrics").path(0).path("Metrics")) {
                if (metric.path("Name").asText().equals(name)) {
                    return true;
                }
            }
            return false;
        }).toList();
    }

    @Override
    public void close() {
        Metrics.redirect(previous);
    }
}
