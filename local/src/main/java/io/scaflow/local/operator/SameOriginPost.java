package io.scaflow.local.operator;

import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rule the operator page's POST must pass before it is signed as the operator: another site's page in the
 * operator's browser must not reconcile a flow. A browser sends {@code Origin} on every cross-site POST, so a POST
 * whose {@code Origin} is present and not the page's own (http://127.0.0.1:PORT or http://localhost:PORT) is
 * refused (403). The body must be declared {@code application/json} (415 otherwise): a cross-site page can send
 * {@code text/plain} or a form without a CORS preflight, not JSON, and the page's server answers no preflight.
 * A POST without {@code Origin} (curl, a script on the machine) passes: it does not come from a web page.
 */
final class SameOriginPost {

    /** Why a POST is refused: the HTTP status and the message. */
    record Refusal(int status, String message) {
    }

    private final List<String> origins;

    SameOriginPost(int port) {
        this.origins = List.of("http://127.0.0.1:" + port, "http://localhost:" + port);
    }

    Optional<Refusal> check(Headers headers) {
        List<String> origin = headers.getOrDefault("Origin", List.of());
        if (!origin.isEmpty() && (origin.size() > 1 || !origins.contains(origin.get(0)))) {
            return Optional.of(new Refusal(403, "a POST from another origin than the operator page's is refused"));
        }
        List<String> type = headers.getOrDefault("Content-Type", List.of());
        if (type.size() != 1 || !isJson(type.get(0))) {
            return Optional.of(new Refusal(415, "the body must be sent as Content-Type: application/json"));
        }
        return Optional.empty();
    }

    private static boolean isJson(String type) {
        String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json");
    }
}
