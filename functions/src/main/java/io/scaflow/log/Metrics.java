package io.scaflow.log;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Metrics in CloudWatch's embedded metric format: one JSON object a line on the log stream, which CloudWatch Logs
 * turns into metrics of namespace {@value #NAMESPACE}. Every metric has the dimension {@code Service} = scaflow;
 * each further dimension set adds its names to it. The line also carries the invocation's context (request id,
 * function, cold start, flow id) as plain properties, for finding its log lines. Dimension values are fixed words
 * (statuses, endpoints as templates, outcomes): never an id, amount or secret.
 */
public final class Metrics {

    public static final String NAMESPACE = "scaflow";
    public static final String SERVICE = "scaflow";

    /** The units scaflow uses (CloudWatch's names). */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }
    }

    private static volatile Consumer<ObjectNode> sink = Log::print;

    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final List<List<String>> dimensionSets = new ArrayList<>();
    private final Map<String, Object[]> values = new LinkedHashMap<>();

    private Metrics() {
    }

    /** A new line of metrics; nothing is written until {@link #emit()}. */
    public static Metrics line() {
        return new Metrics();
    }

    /** Tests capture the metric lines; gives the sink lines went to until now. */
    public static Consumer<ObjectNode> redirect(Consumer<ObjectNode> lines) {
        Consumer<ObjectNode> previous = sink;
        sink = lines;
        return previous;
    }

    /** A dimension's value; its name becomes a metric dimension only through {@link #by(String...)}. */
    public Metrics dimension(String name, String value) {
        dimensions.put(name, value);
        return this;
    }

    /** Publishes the metrics of this line by {@code Service} plus {@code names} (none: by Service alone). */
    public Metrics by(String... names) {
        List<String> set = new ArrayList<>();
        set.add("Service");
        set.addAll(List.of(names));
        dimensionSets.add(set);
        return this;
    }

    public Metrics count(String name) {
        return value(name, 1, Unit.COUNT);
    }

    public Metrics value(String name, double value, Unit unit) {
        values.put(name, new Object[] {value, unit});
        return this;
    }

    /** Writes the line (a line without a value writes nothing). A failure to write never fails the caller. */
    public void emit() {
        if (values.isEmpty()) {
            return;
        }
        try {
            sink.accept(toJson(System.currentTimeMillis()));
        } catch (RuntimeException e) {
            Log.of(Metrics.class).warn("metric line not written", "error", e.getClass().getSimpleName());
        }
    }

    ObjectNode toJson(long timestampMillis) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        ObjectNode directive = line.putObject("_aws").put("Timestamp", timestampMillis)
                .putArray("CloudWatchMetrics").addObject().put("Namespace", NAMESPACE);
        ArrayNode sets = directive.putArray("Dimensions");
        (dimensionSets.isEmpty() ? List.of(List.of("Service")) : dimensionSets)
                .forEach(set -> set.forEach(sets.addArray()::add));
        ArrayNode definitions = directive.putArray("Metrics");
        values.forEach((name, v) -> definitions.addObject().put("Name", name).put("Unit", ((Unit) v[1]).cloudWatchName));
        line.put("Service", SERVICE);
        dimensions.forEach(line::put);
        values.forEach((name, v) -> line.put(name, (double) v[0]));
        LogContext.Fields context = LogContext.current();
        if (context != null) {
            Log.putContext(line, context);
        }
        return line;
    }
}
