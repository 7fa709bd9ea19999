package io.scaflow.shine;

import java.util.Set;

/** Where Shine executes a confirmed action: an HTTP method and a path below the API base URL. */
public record ActionEndpoint(String method, String path) {

    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    public ActionEndpoint {
        if (method == null || !METHODS.contains(method)) {
            throw new IllegalArgumentException("method must be one of " + METHODS + ", not " + method);
        }
        if (path == null || !path.matches("/[A-Za-z0-9/_.-]*")) {
            throw new IllegalArgumentException("path must start with '/' and hold only letters, digits, '/', '_', '.', '-'");
        }
    }
}
