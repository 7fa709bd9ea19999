package io.scaflow.local.bench;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Time spent waiting on the emulators (AWS SDK calls to moto) and on Shine (the sandbox), per thread: the warm
 * benchmark calls a handler on one thread, and the handlers' calls are synchronous on that thread.
 */
final class CallTimer {

    /** Per thread: [aws nanos, aws calls, shine nanos, shine calls]. */
    private static final ThreadLocal<long[]> SPENT = ThreadLocal.withInitial(() -> new long[4]);

    private CallTimer() {
    }

    static void reset() {
        java.util.Arrays.fill(SPENT.get(), 0);
    }

    static long[] snapshot() {
        return SPENT.get().clone();
    }

    /** Times each SDK call's HTTP exchange (request sent to response received), retries included. */
    static final class AwsInterceptor implements ExecutionInterceptor {

        private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench.started");

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            attributes.putAttribute(STARTED, System.nanoTime());
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            Long started = attributes.getAttribute(STARTED);
            if (started != null) {
                long[] spent = SPENT.get();
                spent[0] += System.nanoTime() - started;
                spent[1]++;
            }
        }
    }

    /**
     * The JDK HttpClient ShineClient uses, with each {@code send} and {@code sendAsync} timed (an asynchronous call
     * counts on the thread that started it, up to its completion: ShineClient waits for it on that thread).
     */
    static final class TimedHttpClient extends HttpClient {

        private final HttpClient delegate;

        TimedHttpClient(HttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            long started = System.nanoTime();
            try {
                return delegate.send(request, handler);
            } finally {
                long[] spent = SPENT.get();
                spent[2] += System.nanoTime() - started;
                spent[3]++;
            }
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                                HttpResponse.BodyHandler<T> handler) {
            long started = System.nanoTime();
            long[] spent = SPENT.get();
            return delegate.sendAsync(request, handler).whenComplete((response, error) -> {
                spent[2] += System.nanoTime() - started;
                spent[3]++;
            });
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> push) {
            return delegate.sendAsync(request, handler, push);
        }

        @Override public Optional<CookieHandler> cookieHandler() { return delegate.cookieHandler(); }
        @Override public Optional<Duration> connectTimeout() { return delegate.connectTimeout(); }
        @Override public Redirect followRedirects() { return delegate.followRedirects(); }
        @Override public Optional<ProxySelector> proxy() { return delegate.proxy(); }
        @Override public SSLContext sslContext() { return delegate.sslContext(); }
        @Override public SSLParameters sslParameters() { return delegate.sslParameters(); }
        @Override public Optional<Authenticator> authenticator() { return delegate.authenticator(); }
        @Override public Version version() { return delegate.version(); }
        @Override public Optional<Executor> executor() { return delegate.executor(); }
    }
}
