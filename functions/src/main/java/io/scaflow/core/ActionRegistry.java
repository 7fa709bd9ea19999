package io.scaflow.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The actions scaflow may run after a confirmation: action name → Shine endpoint. {@code bank:transfers:create}
 * is built in; more come from configuration (JSON {@code {"name": {"method": "POST", "path": "/v3/..."}}}), which
 * cannot replace a built-in action, and whose paths stay in Shine's versioned API ({@link ActionEndpoint}). What a
 * configured action's payload must be is {@code ActionInputValidator}'s.
 */
public final class ActionRegistry {

    public static final String BANK_TRANSFER = "bank:transfers:create";

    private final Map<String, ActionEndpoint> endpoints;

    private ActionRegistry(Map<String, ActionEndpoint> endpoints) {
        this.endpoints = Map.copyOf(endpoints);
    }

    private static final Map<String, ActionEndpoint> BUILT_IN =
            Map.of(BANK_TRANSFER, new ActionEndpoint("POST", "/v3/bank/transfers"));

    public static ActionRegistry builtIn() {
        return new ActionRegistry(BUILT_IN);
    }

    /** The built-in actions plus those in {@code json}; an empty or absent text adds nothing. */
    public static ActionRegistry withExtra(String json) {
        Map<String, ActionEndpoint> all = new LinkedHashMap<>(BUILT_IN);
        if (json == null || json.isBlank()) {
            return new ActionRegistry(all);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("SHINE_ACTIONS is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("SHINE_ACTIONS must be a JSON object of action name to {method, path}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (!name.matches("[a-z0-9_]+(:[a-z0-9_]+)+")) {
                throw new IllegalArgumentException("SHINE_ACTIONS: '" + name + "' is not an action name like bank:transfers:create");
            }
            if (BUILT_IN.containsKey(name)) {
                throw new IllegalArgumentException("SHINE_ACTIONS: '" + name + "' is built in and cannot be replaced");
            }
            JsonNode spec = entry.getValue();
            try {
                all.put(name, new ActionEndpoint(spec.path("method").asText(null), spec.path("path").asText(null)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SHINE_ACTIONS: action '" + name + "': " + e.getMessage());
            }
        }
        return new ActionRegistry(all);
    }

    public Optional<ActionEndpoint> endpoint(String action) {
        return Optional.ofNullable(action == null ? null : endpoints.get(action));
    }

    public boolean supports(String action) {
        return endpoint(action).isPresent();
    }

    public Set<String> actions() {
        return endpoints.keySet();
    }
}
