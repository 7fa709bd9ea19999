package io.scaflow.api;

import java.util.List;
import java.util.Locale;

/**
 * What a request body must be declared as: {@code application/json} (any letter case), with no parameter but an
 * optional {@code charset=utf-8}. Anything else is 415 {@code unsupported-media-type}: other types, a missing or
 * repeated header, another charset, and the {@code +json} types too ({@code application/merge-patch+json},
 * {@code application/vnd...+json}), which are JSON but name other formats than the API reads.
 */
final class JsonContentType {

    static final String JSON = "application/json";
    private static final String HEADER = "Content-Type";
    private static final int ECHO_LIMIT = 100;

    private JsonContentType() {
    }

    /** A media type made of RFC 6838 name characters only (safe to name in an answer). */
    private static final java.util.regex.Pattern MEDIA_TYPE =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}");

    /** Throws the 415 problem unless the request's body is declared {@code application/json}. */
    static void require(ApiRequest request) {
        List<String> values = request.headerValues(HEADER);
        if (values.isEmpty()) {
            throw Problem.unsupportedMediaType("is missing");
        }
        if (values.size() > 1) {
            throw Problem.unsupportedMediaType("was sent more than once with different values");
        }
        String value = values.get(0);
        if (!value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw Problem.unsupportedMediaType("contains characters that are not printable ASCII");
        }
        String[] parts = value.split(";", -1);
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(JSON)) {
            throw Problem.unsupportedMediaType(echo(value) + (type.endsWith("+json")
                    ? ": only application/json is read (a +json type names another format)"
                    : ": only application/json is read"));
        }
        for (int i = 1; i < parts.length; i++) {
            checkParameter(parts[i].trim(), value);
        }
    }

    private static void checkParameter(String parameter, String value) {
        if (parameter.isEmpty()) {
            return;
        }
        int eq = parameter.indexOf('=');
        String name = eq < 0 ? parameter : parameter.substring(0, eq).trim();
        String argument = eq < 0 ? "" : unquoted(parameter.substring(eq + 1).trim());
        if (!name.equalsIgnoreCase("charset")) {
            throw Problem.unsupportedMediaType(echo(value) + ": application/json takes no parameter but charset=utf-8");
        }
        if (!argument.equalsIgnoreCase("utf-8")) {
            throw Problem.unsupportedMediaType(echo(value) + ": the body must be UTF-8 (charset=utf-8, or no charset)");
        }
    }

    private static String unquoted(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1)
                : text;
    }

    /**
     * What is wrong with the header, without repeating it (docs/api.md: nothing odd the caller sent is echoed); its
     * media type only when it is a plain {@code type/subtype} token.
     */
    private static String echo(String value) {
        String type = value.split(";", -1)[0].trim();
        if (value.isBlank()) {
            return "is empty";
        }
        return MEDIA_TYPE.matcher(type).matches() && type.length() <= ECHO_LIMIT ? "names " + type : "is not application/json";
    }
}
