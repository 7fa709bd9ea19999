package io.scaflow.local.sandbox;

import java.util.Locale;

/** The Shine endpoints the sandbox serves; faults and call records name them in lower case. */
public enum Endpoint {
    CREATE, POLL, TRANSFER, UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts {@code create}, {@code poll}, {@code transfer} (any case). */
    public static Endpoint fromWireName(String value) {
        if (value != null) {
            for (Endpoint endpoint : values()) {
                if (endpoint != UNKNOWN && endpoint.wireName().equalsIgnoreCase(value.trim())) {
                    return endpoint;
                }
            }
        }
        throw SandboxException.badRequest("endpoint must be one of create, poll, transfer");
    }
}
