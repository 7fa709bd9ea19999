package io.scaflow.config;

/** A missing or malformed setting, named so the operator can fix it. */
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String name, String reason) {
        super("configuration " + name + " " + reason);
    }
}
