package io.scaflow.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A credential or token. Its {@code toString} never shows the value, so a secret that slips into a log line,
 * an exception message or a string concatenation shows as {@code ****}. Read it with {@link #reveal()} only
 * where it goes on the wire.
 *
 * <p>A {@linkplain #sealed sealed} secret is one stored encrypted: its value is opened (decrypted) on the first
 * {@link #reveal()}, once, so reading a flow that holds a token costs no decryption unless the token is used.
 */
public final class Secret {

    private final Supplier<String> opener;
    private volatile String value;

    private Secret(String value, Supplier<String> opener) {
        this.value = value;
        this.opener = opener;
    }

    public static Secret of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret cannot be empty");
        }
        return new Secret(value, null);
    }

    /** A secret whose value {@code opener} gives on the first {@link #reveal()} (e.g. a KMS Decrypt). */
    public static Secret sealed(Supplier<String> opener) {
        return new Secret(null, Objects.requireNonNull(opener, "opener"));
    }

    public String reveal() {
        String current = value;
        if (current == null) {
            synchronized (this) {
                if (value == null) {
                    value = of(opener.get()).value;
                }
                current = value;
            }
        }
        return current;
    }

    /** Whether the value is in memory (always, except for a sealed secret not revealed yet). */
    public boolean isOpen() {
        return value != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && reveal().equals(secret.reveal());
    }

    @Override
    public int hashCode() {
        return Objects.hash(reveal());
    }

    @Override
    public String toString() {
        return "****";
    }
}
