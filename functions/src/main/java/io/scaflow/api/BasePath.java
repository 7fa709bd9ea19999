package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The part of the URL the caller used in front of the API's own routes, so that a {@code Location} the API sends
 * can be followed as is: {@code /live} on the execute-api domain (the stage), the base path of a custom domain's
 * mapping ({@code /payments}, no stage in that URL), or nothing (a custom domain mapped at its root).
 *
 * <p>API Gateway's {@code requestContext.path} is the path as the client sent it ({@code /live/v1/transfers}, or
 * {@code /payments/v1/transfers} on a custom domain), while {@code resource} is the route ({@code /v1/transfers}):
 * the base path is what precedes the route, its path parameters filled in. When the two do not line up (an event
 * written by hand), {@code /}{@code requestContext.stage} is assumed, as on the execute-api domain; no stage: none.
 */
final class BasePath {

    private BasePath() {
    }

    /** The base path of {@code event} ({@code ""} or {@code /...} without a trailing slash). */
    static String of(JsonNode event, Map<String, String> pathParameters) {
        JsonNode context = event.path("requestContext");
        String sent = strip(context.path("path").asText(""));
        String route = event.path("resource").asText("");
        for (Map.Entry<String, String> parameter : pathParameters.entrySet()) {
            route = route.replace("{" + parameter.getKey() + "}", parameter.getValue());
        }
        route = strip(route);
        if (!route.isEmpty() && sent.endsWith(route) && wellFormed(sent.substring(0, sent.length() - route.length()))) {
            return sent.substring(0, sent.length() - route.length());
        }
        String stage = context.path("stage").asText("");
        return stage.matches("[A-Za-z0-9_-]+") ? "/" + stage : "";
    }

    private static String strip(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** Empty, or segments of URL-safe characters: never a scheme, a host or anything a client could be sent to. */
    private static boolean wellFormed(String prefix) {
        return prefix.matches("(/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*") && !prefix.startsWith("//");
    }
}
