package io.scaflow.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Creates the local stack's JDK HTTP servers with TCP_NODELAY. Without it the JDK server writes headers and body as
 * two small segments and the second waits for the client's delayed ACK: about 40 ms on every local call.
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
}
