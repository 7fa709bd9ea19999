package io.scaflow.core;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where Shine executes a confirmed action: an HTTP method and a path below the API base URL. The path stays in
 * Shine's versioned API: {@code /v<digits>} then one or more segments, each starting with a letter, a digit or
 * {@code _} and holding letters, digits, {@code _ . -} only. So no {@code .} or {@code ..} segment, no empty
 * segment, no trailing slash, no {@code %} (no encoded dot or slash), no query or fragment.
 */
public record ActionEndpoint(String method, String path) {

    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern PATH = Pattern.compile("/v[0-9]+(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+");

    public ActionEndpoint {
        if (method == null || !METHODS.contains(method)) {
            throw new IllegalArgumentException("method must be one of " + METHODS + ", not " + method);
        }
        if (path == null || !PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("path must start with '/' and a version ('/v3') followed by segments "
                    + "of letters, digits, '_', '.', '-' that start with a letter, a digit or '_' (no '.' or '..' "
                    + "segment, no '%', no empty segment)");
        }
    }
}
