package io.scaflow.local.sandbox;

import java.util.Locale;
import java.util.Objects;

/**
 * A fault for the next {@code count} calls to one endpoint.
 *
 * <ul>
 *   <li>{@code ERROR_500}, {@code ERROR_503}: answered at once, the call is not processed; 503 carries
 *       {@code Retry-After} when {@code retryAfterSeconds} &gt; 0;</li>
 *   <li>{@code RATE_LIMIT}: 429 with {@code Retry-After: retryAfterSeconds} (1 when not given), not processed;</li>
 *   <li>{@code DELAY}: processed normally (a transfer is executed and recorded), answered {@code delayMs} later;</li>
 *   <li>{@code MALFORMED}: processed normally, answered with the status processing gave but a body that is not
 *       JSON.</li>
 * </ul>
 */
public record Fault(Endpoint endpoint, Kind kind, int count, int retryAfterSeconds, long delayMs) {

    public enum Kind {
        ERROR_500, ERROR_503, RATE_LIMIT, DELAY, MALFORMED;

        static Kind parse(String value) {
            if (value != null) {
                try {
                    return valueOf(value.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException ignored) {
                    // fall through
                }
            }
            throw SandboxException.badRequest("kind must be one of ERROR_500, ERROR_503, RATE_LIMIT, DELAY, MALFORMED");
        }
    }

    public static final long DEFAULT_DELAY_MS = 10_000;

    public Fault {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(kind, "kind");
        if (endpoint == Endpoint.UNKNOWN) {
            throw SandboxException.badRequest("endpoint must be one of create, poll, transfer");
        }
        if (count < 1) {
            throw SandboxException.badRequest("count must be at least 1");
        }
        if (retryAfterSeconds < 0 || delayMs < 0) {
            throw SandboxException.badRequest("retryAfterSeconds and delayMs must not be negative");
        }
    }

    public static Fault of(Endpoint endpoint, Kind kind, int count) {
        return new Fault(endpoint, kind, count, kind == Kind.RATE_LIMIT ? 1 : 0,
                kind == Kind.DELAY ? DEFAULT_DELAY_MS : 0);
    }

    public static Fault delay(Endpoint endpoint, int count, long delayMs) {
        return new Fault(endpoint, Kind.DELAY, count, 0, delayMs);
    }

    public static Fault retryAfter(Endpoint endpoint, Kind kind, int count, int retryAfterSeconds) {
        return new Fault(endpoint, kind, count, retryAfterSeconds, 0);
    }

    /** True for the kinds that answer without processing the call. */
    boolean preventsProcessing() {
        return kind == Kind.ERROR_500 || kind == Kind.ERROR_503 || kind == Kind.RATE_LIMIT;
    }

    Fault spentOnce() {
        return new Fault(endpoint, kind, count - 1, retryAfterSeconds, delayMs);
    }
}
