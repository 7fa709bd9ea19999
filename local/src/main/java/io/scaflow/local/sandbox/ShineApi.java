package io.scaflow.local.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Shine's three endpoints over HTTP, with fault injection and call records.
 *
 * <ul>
 *   <li>{@code POST /v2/authentication/oauth2/action_request}: 200 (Shine's documentation shows no status; a
 *       client should accept any 2xx);</li>
 *   <li>{@code GET /v2/authentication/oauth2/action_request/{id}/poll?client_id=&client_secret=}: 200;</li>
 *   <li>{@code POST /v3/bank/transfers}: 201.</li>
 * </ul>
 */
final class ShineApi {

    static final String ACTION_REQUEST_PATH = "/v2/authentication/oauth2/action_request";
    static final String TRANSFER_PATH = "/v3/bank/transfers";

    /** IMF-fixdate (RFC 9110), the form of HTTP-date a server sends. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final ShineRules rules;
    private final Faults faults;

    ShineApi(ShineRules rules, Faults faults) {
        this.rules = rules;
        this.faults = faults;
    }

    /** The answer and how long to hold it back (DELAY fault). */
    record Outcome(HttpAnswer answer, long delayMs) {
    }

    Outcome handle(HttpCall call) {
        Instant arrived = rules.now();
        Endpoint endpoint = endpointOf(call);
        Fault fault = endpoint == Endpoint.UNKNOWN ? null : faults.take(endpoint);
        HttpAnswer answer;
        long delayMs = 0;
        if (fault != null && fault.preventsProcessing()) {
            answer = fault.kind() == Fault.Kind.ECHO_SECRETS ? echoSecrets(fault, call) : faultAnswer(fault, arrived);
        } else {
            answer = process(endpoint, call, fault);
            if (fault != null && fault.kind() == Fault.Kind.DELAY) {
                delayMs = fault.delayMs();
            }
        }
        rules.records().addCall(new CallRecord(endpoint, call.method(), call.path(), answer.status(), arrived,
                fault == null ? null : fault.kind().name()));
        return new Outcome(answer, delayMs);
    }

    /** Processes the call; a fault that lets it be processed then changes the answer (see {@link AnswerShapes}). */
    private HttpAnswer process(Endpoint endpoint, HttpCall call, Fault fault) {
        HttpAnswer refused;
        try {
            switch (endpoint) {
                case CREATE:
                    return AnswerShapes.answer(200, WireFormat.envelope(
                            WireFormat.actionRequest(rules.create(call.json()))), fault);
                case POLL:
                    String id = call.segments()[4];
                    return AnswerShapes.answer(200, WireFormat.envelope(WireFormat.actionRequest(
                            rules.poll(id, call.query("client_id"), call.query("client_secret")))), fault);
                case TRANSFER:
                    return AnswerShapes.answer(201, WireFormat.envelope(WireFormat.transfer(rules.transfer(
                            call.header("Authorization"), call.header("short-lived-token"), call.json()))), fault);
                default:
                    return unknownRoute(call);
            }
        } catch (SandboxException e) {
            refused = HttpAnswer.error(e);
        }
        // Shine refused the call: the faults that act whatever processing gave still do, the others do not.
        if (fault != null && fault.kind() == Fault.Kind.MALFORMED) {
            return refused.malformed();
        }
        if (fault != null && fault.kind() == Fault.Kind.CONNECTION_RESET) {
            return HttpAnswer.connectionReset();
        }
        return refused;
    }

    static Endpoint endpointOf(HttpCall call) {
        String path = stripSlash(call.path());
        if (path.equals(ACTION_REQUEST_PATH) && call.method().equals("POST")) {
            return Endpoint.CREATE;
        }
        if (path.equals(TRANSFER_PATH) && call.method().equals("POST")) {
            return Endpoint.TRANSFER;
        }
        String[] segments = call.segments();
        if (call.method().equals("GET") && path.startsWith(ACTION_REQUEST_PATH + "/") && segments.length == 6
                && segments[5].equals("poll") && !segments[4].isEmpty()) {
            return Endpoint.POLL;
        }
        return Endpoint.UNKNOWN;
    }

    private static HttpAnswer unknownRoute(HttpCall call) {
        String path = stripSlash(call.path());
        boolean knownPath = path.equals(ACTION_REQUEST_PATH) || path.equals(TRANSFER_PATH)
                || (path.startsWith(ACTION_REQUEST_PATH + "/") && path.endsWith("/poll"));
        if (knownPath) {
            return HttpAnswer.error(new SandboxException(405, "METHOD_NOT_ALLOWED",
                    "method " + call.method() + " is not allowed here"));
        }
        return HttpAnswer.error(SandboxException.notFound("no such endpoint"));
    }

    private static HttpAnswer faultAnswer(Fault fault, Instant now) {
        switch (fault.kind()) {
            case ERROR_500:
                return HttpAnswer.json(500, WireFormat.error("INTERNAL_ERROR", "injected fault: internal error"));
            case ERROR_503: {
                HttpAnswer answer = HttpAnswer.json(503,
                        WireFormat.error("SERVICE_UNAVAILABLE", "injected fault: service unavailable"));
                return fault.retryAfterSeconds() > 0
                        ? answer.withHeader("Retry-After", Integer.toString(fault.retryAfterSeconds())) : answer;
            }
            case RATE_LIMIT:
                return HttpAnswer.json(429, WireFormat.error("RATE_LIMITED", "injected fault: too many requests"))
                        .withHeader("Retry-After", Integer.toString(Math.max(1, fault.retryAfterSeconds())));
            case RATE_LIMIT_HTTP_DATE:
                // the date Shine names, cut to the second as an HTTP-date is: the client must round up its wait
                return HttpAnswer.json(429, WireFormat.error("RATE_LIMITED", "injected fault: too many requests"))
                        .withHeader("Retry-After", HTTP_DATE.format(
                                now.plusSeconds(Math.max(1, fault.retryAfterSeconds())).truncatedTo(ChronoUnit.SECONDS)));
            default:
                throw new IllegalStateException("not an answering fault: " + fault.kind());
        }
    }

    /** A careless upstream: the error message quotes every secret the call carried. */
    private static HttpAnswer echoSecrets(Fault fault, HttpCall call) {
        String clientSecret = call.query("client_secret");
        if (clientSecret == null) {
            try {
                clientSecret = call.json().path("client_secret").asText(null);
            } catch (SandboxException notJson) {
                clientSecret = null;
            }
        }
        String message = "echo: client_secret=" + clientSecret + " authorization=" + call.header("Authorization")
                + " short-lived-token=" + call.header("short-lived-token");
        return HttpAnswer.json(fault.status() == 0 ? 400 : fault.status(), WireFormat.error("ECHO", message));
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
