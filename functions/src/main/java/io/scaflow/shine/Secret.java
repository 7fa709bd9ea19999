package io.scaflow.shine;

import java.util.Objects;

/**
 * A credential or token. Its {@code toString} never shows the value, so a secret that slips into a log line,
 * an exception message or a string concatenation shows as {@code ****}. Read it with {@link #reveal()} only
 * where it goes on the wire.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret cannot be empty");
        }
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && value.equals(secret.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}
