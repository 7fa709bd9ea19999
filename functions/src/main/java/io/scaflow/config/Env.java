package io.scaflow.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of configuration from environment variables (Lambda's way of configuring a function).
 * Built on a plain map so tests and the local stack can pass their own.
 */
public final class Env {

    private final Map<String, String> values;

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** This environment with {@code overrides} on top. */
    public Env with(Map<String, String> overrides) {
        Map<String, String> all = new java.util.HashMap<>(values);
        all.putAll(overrides);
        return new Env(all);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigurationException(name, "is not set"));
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public int integer(String name, int fallback) {
        return parse(name, fallback, Integer::parseInt);
    }

    public long longValue(String name, long fallback) {
        return parse(name, fallback, Long::parseLong);
    }

    public Duration millis(String name, Duration fallback) {
        return parse(name, fallback, v -> Duration.ofMillis(Long.parseLong(v)));
    }

    public Duration seconds(String name, Duration fallback) {
        return parse(name, fallback, v -> Duration.ofSeconds(Long.parseLong(v)));
    }

    private <T> T parse(String name, T fallback, Function<String, T> parser) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return parser.apply(raw.get());
        } catch (RuntimeException e) {
            throw new ConfigurationException(name, "is not a valid number: '" + raw.get() + "'");
        }
    }
}
