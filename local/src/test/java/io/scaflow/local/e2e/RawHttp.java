package io.scaflow.local.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, byte for byte: requests that {@code java.net.http} refuses to send (control
 * characters in header values, a header twice, raw {@code ..} segments, an exact Content-Type or none). One
 * request per connection ({@code Connection: close}); the answer is read to the end of the stream.
 */
final class RawHttp {

    /** An answer: status, header lines as received, body. */
    record Answer(int status, List<String> headers, String body) {

        /** The first value of {@code name} (case-insensitive), or null. */
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).trim()).findFirst().orElse(null);
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method target} with the header lines (each "Name: value", sent as given) and the body; the path
     * of {@code base} (the stage, {@code /live}) goes in front of {@code target}.
     */
    static Answer send(URI base, String method, String target, List<String> headers, byte[] body) {
        String path = base.getRawPath() == null ? "" : base.getRawPath().replaceFirst("/$", "");
        target = path + target;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Connection: close\r\n");
            headers.forEach(h -> head.append(h).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target, e);
        }
    }

    static Answer send(URI base, String method, String target, List<String> headers, String body) {
        return send(base, method, target, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static Answer read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(all, end + 4, all.length - end - 4);
        if (headers.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:"))) {
            throw new IOException("a chunked answer (the local gateway sends a Content-Length): " + text);
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
    }
}
