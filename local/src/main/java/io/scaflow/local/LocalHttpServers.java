package io.scaflow.local;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the local stack's JDK HTTP servers with TCP_NODELAY. Without it the JDK server writes headers and body as
 * two small segments and the second waits for the client's delayed ACK: about 40 ms on every local call. Their
 * request threads come from {@link #daemonThreads}: a local server never keeps the JVM alive.
 */
public final class LocalHttpServers {

    static {
        // Read once, when the JDK server's configuration class loads: set before the first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LocalHttpServers() {
    }

    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        return HttpServer.create(address, backlog);
    }

    /**
     * A started server on 127.0.0.1:{@code port} (0: a free one) passing every request to {@code handler} on
     * {@code threads}. When it cannot listen, {@code threads} is shut down and the failure thrown.
     */
    public static HttpServer startOnLoopback(int port, int backlog, ExecutorService threads, HttpHandler handler) {
        HttpServer server;
        try {
            server = create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
        } catch (IOException e) {
            threads.shutdownNow();
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        server.setExecutor(threads);
        server.createContext("/", handler);
        server.start();
        return server;
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
