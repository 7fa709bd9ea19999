package io.scaflow.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
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
