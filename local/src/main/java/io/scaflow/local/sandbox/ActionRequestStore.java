package io.scaflow.local.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Action requests by id, in creation order. Callers serialise transitions (see {@link ShineRules}). */
final class ActionRequestStore {

    private final Map<String, ActionRequest> byId = new LinkedHashMap<>();

    synchronized void put(ActionRequest request) {
        byId.put(request.id(), request);
    }

    synchronized ActionRequest get(String id) {
        return byId.get(id);
    }

    synchronized List<ActionRequest> all() {
        return new ArrayList<>(byId.values());
    }

    synchronized void clear() {
        byId.clear();
    }
}
