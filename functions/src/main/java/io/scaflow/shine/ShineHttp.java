package io.scaflow.shine;

import io.scaflow.log.Log;
import io.scaflow.log.Metrics;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP exchange with Shine, bounded in time as a whole (connection, status, body), that keeps the status even
 * when the body then fails to arrive: for an executed action the status alone says whether it was done.
 * Failures before any status become {@link ShineUnavailableException} (safe calls, or the connection was never
 * made) or {@link ShineOutcomeUnknownException} (a call with an effect that may have reached Shine).
 */
final class ShineHttp {

    private static final Log LOG = Log.of(ShineClient.class);

    /** What a call does at Shine, which decides how a failure reads. */
    enum Effect {
        /** A read (poll): repeat it freely. */
        NONE(""),
        /** Creates an action request: repeating it may create a second one. */
        CREATES("; Shine may have created the action request: another attempt creates a new one"),
        /** Runs the confirmed action: a failure after sending means the outcome is unknown. */
        ACTION("; the action may have been done");

        private final String ifSent;

        Effect(String ifSent) {
            this.ifSent = ifSent;
        }

        /** What to add to a failure's message when the request may have reached Shine. */
        String ifSent() {
            return ifSent;
        }
    }

    /** What came back: the status, its headers, the body ({@code bodyLost}: the body did not arrive whole). */
    record Reply(int status, HttpHeaders headers, String body, boolean bodyLost) {
    }

    private final HttpClient http;

    ShineHttp(HttpClient http) {
        this.http = http;
    }

    /**
     * Sends {@code request} (whose own timeout is {@code timeout}) and waits at most {@code timeout} for the whole
     * answer. The URI is never logged or put in a message: a poll's query carries the client secret.
     */
    Reply send(String endpoint, HttpRequest request, Duration timeout, Effect effect) {
        long start = System.nanoTime();
        AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
        HttpResponse.BodyHandler<String> handler = info -> {
            head.set(info);
            return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
        };
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(request, handler);
        try {
            HttpResponse<String> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("shine call", "endpoint", endpoint, "status", response.statusCode(), "durationMs", millisSince(start));
            measure(endpoint, statusClass(response.statusCode()), start);
            return new Reply(response.statusCode(), response.headers(), response.body(), false);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return statusOrFail(endpoint, head.get(), effect, "the call was interrupted", e, start);
        } catch (TimeoutException e) {
            call.cancel(true);
            return statusOrFail(endpoint, head.get(), effect, "no answer within " + timeout.toMillis() + " ms",
                    e, start);
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (head.get() == null && neverConnected(cause)) {
                LOG.warn("shine call failed", "endpoint", endpoint, "error", cause.getClass().getSimpleName(),
                        "durationMs", millisSince(start));
                measure(endpoint, "unreachable", start);
                throw new ShineUnavailableException(endpoint + ": could not connect to Shine ("
                        + cause.getClass().getSimpleName() + ")", cause);
            }
            String what = cause instanceof HttpTimeoutException
                    ? "no answer within " + timeout.toMillis() + " ms"
                    : "the connection failed (" + cause.getClass().getSimpleName() + ")";
            return statusOrFail(endpoint, head.get(), effect, what, cause, start);
        }
    }

    /** The status if it arrived before the failure (the body is then lost); otherwise the call's failure. */
    private static Reply statusOrFail(String endpoint, HttpResponse.ResponseInfo head, Effect effect, String what,
                                      Throwable cause, long start) {
        if (head != null) {
            LOG.warn("shine answer cut off after its status", "endpoint", endpoint, "status", head.statusCode(),
                    "error", cause.getClass().getSimpleName(), "durationMs", millisSince(start));
            measure(endpoint, statusClass(head.statusCode()) + "-cut-off", start);
            return new Reply(head.statusCode(), head.headers(), "", true);
        }
        LOG.warn("shine call failed", "endpoint", endpoint, "error", cause.getClass().getSimpleName(),
                "durationMs", millisSince(start));
        measure(endpoint, cause instanceof TimeoutException || cause instanceof HttpTimeoutException
                ? "timeout" : "failed", start);
        throw effect == Effect.ACTION
                ? new ShineOutcomeUnknownException(endpoint + ": " + what + effect.ifSent(), cause)
                : new ShineUnavailableException(endpoint + ": " + what + effect.ifSent(), cause);
    }

    /** True when the request certainly never left: the connection itself was not made. */
    private static boolean neverConnected(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * One Shine call as metrics: {@code ShineCalls} (count) and {@code ShineLatency} (ms) by Service, Endpoint (the
     * method and path template, never an id) and Outcome: the status class ({@code 2xx}, {@code 4xx}, {@code 429},
     * {@code 5xx}, with {@code -cut-off} when the body was lost after the status), {@code timeout},
     * {@code unreachable} (the connection was never made) or {@code failed}.
     */
    private static void measure(String endpoint, String outcome, long start) {
        Metrics.line().dimension("Endpoint", endpoint).dimension("Outcome", outcome).by("Endpoint", "Outcome")
                .count("ShineCalls").value("ShineLatency", millisSince(start), Metrics.Unit.MILLISECONDS).emit();
    }

    static String statusClass(int status) {
        return status == 429 ? "429" : (status / 100) + "xx";
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
