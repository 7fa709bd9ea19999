package io.scaflow.local.sandbox;

import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A fault for the next {@code count} calls to one endpoint. Kinds that answer without processing the call:
 * {@code ERROR_500}, {@code ERROR_503} ({@code Retry-After: retryAfterSeconds} when &gt; 0), {@code RATE_LIMIT}
 * (429, {@code Retry-After} in seconds, 1 when not given) and {@code RATE_LIMIT_HTTP_DATE} (429, {@code Retry-After}
 * as the HTTP-date {@code retryAfterSeconds} from now, cut to the second). Kinds that process the call, then:
 * {@code DELAY} answers {@code delayMs} later; {@code MALFORMED} answers a body that is not JSON;
 * {@code ERROR_500_PROCESSED} answers 500 (the request was created, the money moved); {@code CONNECTION_RESET}
 * closes the connection without an answer. Kinds that reshape a successful answer (an error answers as usual):
 * {@code TIMESTAMPS} ({@code fractionDigits} 0-9, {@code offset} {@code Z} or {@code ±HH:MM}), {@code EXTRA_FIELDS}
 * (unknown fields at every level, {@code "token": null} while there is no token), {@code TOKEN_ABSENT} /
 * {@code TOKEN_NULL} (the action request without its token, even once CONFIRMED), {@code UNKNOWN_STATUS} (the
 * status reads {@code IN_REVIEW} while the request is pending), {@code SUCCESS_ANSWER} (transfer: HTTP
 * {@code status} 2xx with {@code body} NONE, OBJECT or ENVELOPE), {@code ODD_TOKEN} (create, poll: a token in the
 * answer gets {@link #ODD_TOKEN_SUFFIX} appended: characters no header may carry). {@code ECHO_SECRETS} answers
 * without processing: HTTP {@code status} (4xx or 5xx other than 429, 400 when 0) with an error body whose message
 * quotes the call's client secret, Authorization and short-lived-token headers: a careless upstream.
 */
public record Fault(Endpoint endpoint, Kind kind, int count, int retryAfterSeconds, long delayMs,
                    int status, Body body, int fractionDigits, String offset) {

    public enum Kind {
        ERROR_500, ERROR_503, RATE_LIMIT, RATE_LIMIT_HTTP_DATE, DELAY, MALFORMED, ERROR_500_PROCESSED,
        CONNECTION_RESET, TIMESTAMPS, EXTRA_FIELDS, TOKEN_ABSENT, TOKEN_NULL, UNKNOWN_STATUS, SUCCESS_ANSWER,
        ODD_TOKEN, ECHO_SECRETS;

        static Kind parse(String value) {
            if (value != null) {
                try {
                    return valueOf(value.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException ignored) {
                    // fall through
                }
            }
            throw SandboxException.badRequest("kind must be one of " + Arrays.toString(values()));
        }
    }

    /** The body of a {@code SUCCESS_ANSWER}: none, the transfer as a plain object, or in Shine's envelope. */
    public enum Body {
        NONE, OBJECT, ENVELOPE;

        static Body parse(String value) {
            if (value != null) {
                try {
                    return valueOf(value.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException ignored) {
                    // fall through
                }
            }
            throw SandboxException.badRequest("body must be one of NONE, OBJECT, ENVELOPE");
        }
    }

    public static final long DEFAULT_DELAY_MS = 10_000;
    /** What {@code ODD_TOKEN} appends to a token: a control character, a space, a non-ASCII letter, a newline. */
    public static final String ODD_TOKEN_SUFFIX = "\u0007 \u00e9\n";

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
        if (kind == Kind.SUCCESS_ANSWER) {
            checkSuccessAnswer(endpoint, status, body);
        }
        if (kind == Kind.TIMESTAMPS) {
            checkTimestamps(fractionDigits, offset);
        }
        if (kind == Kind.ECHO_SECRETS && status != 0 && (status < 400 || status > 599 || status == 429)) {
            throw SandboxException.badRequest("ECHO_SECRETS needs a status of 400-599 other than 429 (or none: 400)");
        }
        if ((kind == Kind.TOKEN_ABSENT || kind == Kind.TOKEN_NULL || kind == Kind.UNKNOWN_STATUS
                || kind == Kind.ODD_TOKEN) && endpoint == Endpoint.TRANSFER) {
            throw SandboxException.badRequest(kind + " applies to action request answers: create or poll");
        }
    }

    /** A fault without shape parameters. */
    public Fault(Endpoint endpoint, Kind kind, int count, int retryAfterSeconds, long delayMs) {
        this(endpoint, kind, count, retryAfterSeconds, delayMs, 0, null, 9, "Z");
    }

    public static Fault of(Endpoint endpoint, Kind kind, int count) {
        return new Fault(endpoint, kind, count, kind == Kind.RATE_LIMIT || kind == Kind.RATE_LIMIT_HTTP_DATE ? 1 : 0,
                kind == Kind.DELAY ? DEFAULT_DELAY_MS : 0);
    }

    public static Fault delay(Endpoint endpoint, int count, long delayMs) {
        return new Fault(endpoint, Kind.DELAY, count, 0, delayMs);
    }

    public static Fault retryAfter(Endpoint endpoint, Kind kind, int count, int retryAfterSeconds) {
        return new Fault(endpoint, kind, count, retryAfterSeconds, 0);
    }

    /** The next {@code count} calls to {@code endpoint} answer HTTP {@code status} quoting the call's secrets. */
    public static Fault echoSecrets(Endpoint endpoint, int count, int status) {
        return new Fault(endpoint, Kind.ECHO_SECRETS, count, 0, 0, status, null, 9, "Z");
    }

    /** The transfer's next {@code count} successes answer HTTP {@code status} with {@code body}. */
    public static Fault successAnswer(int count, int status, Body body) {
        return new Fault(Endpoint.TRANSFER, Kind.SUCCESS_ANSWER, count, 0, 0, status, body, 9, "Z");
    }

    /** Timestamps of the next {@code count} answers with {@code fractionDigits} digits and {@code offset}. */
    public static Fault timestamps(Endpoint endpoint, int count, int fractionDigits, String offset) {
        return new Fault(endpoint, Kind.TIMESTAMPS, count, 0, 0, 0, null, fractionDigits, offset);
    }

    /** True for the kinds that answer without processing the call. */
    boolean preventsProcessing() {
        return kind == Kind.ERROR_500 || kind == Kind.ERROR_503 || kind == Kind.RATE_LIMIT
                || kind == Kind.RATE_LIMIT_HTTP_DATE || kind == Kind.ECHO_SECRETS;
    }

    Fault spentOnce() {
        return new Fault(endpoint, kind, count - 1, retryAfterSeconds, delayMs, status, body, fractionDigits, offset);
    }

    private static void checkSuccessAnswer(Endpoint endpoint, int status, Body body) {
        if (endpoint != Endpoint.TRANSFER) {
            throw SandboxException.badRequest("SUCCESS_ANSWER applies to the transfer endpoint");
        }
        if (status < 200 || status > 299 || body == null) {
            throw SandboxException.badRequest("SUCCESS_ANSWER needs a status between 200 and 299 and a body");
        }
        if (status == 204 && body != Body.NONE) {
            throw SandboxException.badRequest("a 204 answer has no body: body must be NONE");
        }
    }

    private static void checkTimestamps(int fractionDigits, String offset) {
        if (fractionDigits < 0 || fractionDigits > 9) {
            throw SandboxException.badRequest("fractionDigits must be between 0 and 9");
        }
        try {
            if (offset == null || (!offset.equals("Z") && !offset.matches("[+-]\\d{2}:\\d{2}"))) {
                throw new IllegalArgumentException();
            }
            if (!offset.equals("Z")) {
                ZoneOffset.of(offset);
            }
        } catch (RuntimeException e) {
            throw SandboxException.badRequest("offset must be Z or +HH:MM / -HH:MM");
        }
    }
}
