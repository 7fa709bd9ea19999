package io.scaflow.local.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** The simulated users' policies, per uid; MANUAL when none is set. */
final class UserPolicies {

    private final Map<String, UserPolicy> byUid = new HashMap<>();

    synchronized void set(String uid, UserPolicy policy) {
        byUid.put(Objects.requireNonNull(uid, "uid"), Objects.requireNonNull(policy, "policy"));
    }

    synchronized UserPolicy of(String uid) {
        return byUid.getOrDefault(uid, UserPolicy.MANUAL);
    }

    synchronized void clear() {
        byUid.clear();
    }
}
