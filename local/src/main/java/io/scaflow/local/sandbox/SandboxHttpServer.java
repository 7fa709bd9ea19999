package io.scaflow.local.sandbox;

import io.scaflow.local.LocalHttpServers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scaflow.log.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The JDK HTTP server with a thread pool: {@code GET /} to the user's app page, {@code /sandbox/...} to the control
 * API, the rest to Shine's.
 */
final class SandboxHttpServer implements AutoCloseable {

    private static final Log LOG = Log.of(SandboxHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ShineApi shineApi;
    private final ControlApi controlApi;

    SandboxHttpServer(SandboxConfig config, ShineApi shineApi, ControlApi controlApi) throws IOException {
        this.shineApi = shineApi;
        this.controlApi = controlApi;
        this.server = LocalHttpServers.create(new InetSocketAddress(config.host(), config.port()), 128);
        this.executor = Executors.newFixedThreadPool(config.threads(), LocalHttpServers.daemonThreads("shine-sandbox"));
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) {
        try (exchange) {
            HttpCall call = new HttpCall(exchange);
            HttpAnswer answer;
            long delayMs = 0;
            if (AppPage.owns(call)) {
                answer = AppPage.answer();
            } else if (ControlApi.owns(call)) {
                answer = controlApi.handle(call);
            } else {
                ShineApi.Outcome outcome = shineApi.handle(call);
                answer = outcome.answer();
                delayMs = outcome.delayMs();
            }
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            if (answer.resetsConnection()) {
                return; // closing an exchange that sent no status closes its connection: the client gets no answer
            }
            send(exchange, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (e.g. it timed out during a DELAY fault): nothing to answer
            LOG.debug("answer not delivered", "error", e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.error("sandbox failure", "error", e.getClass().getName());
            try {
                send(exchange, HttpAnswer.json(500, WireFormat.error("INTERNAL_ERROR", "sandbox failure")));
            } catch (IOException | RuntimeException ignored) {
                // headers may already be sent
            }
        }
    }

    private static void send(HttpExchange exchange, HttpAnswer answer) throws IOException {
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        byte[] body = answer.body();
        if (body.length == 0) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
