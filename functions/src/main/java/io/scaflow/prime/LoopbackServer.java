package io.scaflow.prime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The priming's own HTTP server, on the loopback only and for the priming only: the priming AWS and Shine clients
 * send their requests here, through the real HTTP clients (the SDK's URL-connection client, the JDK's
 * {@code HttpClient}), so that the whole request and answer path is loaded before the snapshot, while nothing
 * leaves the machine. Every answer says {@code Connection: close}: no connection is left open for the snapshot.
 * Closed (socket and thread) by {@link #close()}. Records {@code METHOD path} of each request (never the query:
 * a poll's carries the client secret, here a fake one).
 */
public final class LoopbackServer implements AutoCloseable {

    /** A request as read: method, path (without the query), headers (lower-case names), body. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {
    }

    /** An answer: status, content type, body. */
    public record Answer(int status, String contentType, String body) {
    }

    private final ServerSocket socket;
    private final Function<Request, Answer> answers;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public LoopbackServer(Function<Request, Answer> answers) throws IOException {
        this.answers = answers;
        this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "scaflow-priming-loopback");
        thread.setDaemon(true);
        thread.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                answer(connection);
            } catch (IOException | RuntimeException e) {
                // closed, or a request this server cannot read: the priming call fails and is logged there
            }
        }
    }

    private void answer(Socket connection) throws IOException {
        InputStream in = new BufferedInputStream(connection.getInputStream());
        String[] start = line(in).split(" ");
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        String path = start.length > 1 ? URI.create(start[1]).getRawPath() : "/";
        requests.add(start[0] + " " + path);
        Answer answer = answers.apply(new Request(start[0], path, headers, body));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        OutputStream out = connection.getOutputStream();
        out.write(("HTTP/1.1 " + answer.status() + " Priming\r\nContent-Type: " + answer.contentType()
                + "\r\nContent-Length: " + bytes.length + "\r\nx-amzn-RequestId: priming\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
