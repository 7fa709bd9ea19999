package io.scaflow.local.stack;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's AWS Signature Version 4 (the {@code Authorization} header form) as API Gateway does for a
 * method with IAM authorization, against {@link LocalCredentials}: the scope (the local region, service
 * {@code execute-api}), the time (5 minutes either way), the session token, then the signature over the canonical
 * request (path URI-encoded once more, as AWS's signers do for every service but S3; query sorted; the signed
 * headers; the body's SHA-256). Refusals carry API Gateway's messages. Not emulated: presigned URLs (the signature
 * in the query string), the {@code Date} header instead of {@code X-Amz-Date}, and IAM policies (every known
 * identity may call; the deployed API's resource policy and IAM decide). Nothing secret is ever in a message.
 */
final class SigV4Verifier {

    static final String SERVICE = "execute-api";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final String MISMATCH = "The request signature we calculated does not match the signature you provided."
            + " Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    static final String INVALID_TOKEN = "The security token included in the request is invalid.";

    /** The request as received: names of {@code headers} in any case, the path and query raw (as sent). */
    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    }

    /** Verified: the identity; refused: the gateway response type and API Gateway's message. */
    record Outcome(Optional<LocalCredentials.Identity> identity, GatewayResponses.Type refusal, String message) {
        static Outcome refused(GatewayResponses.Type type, String message) {
            return new Outcome(Optional.empty(), type, message);
        }
    }

    private final LocalCredentials credentials;
    private final String region;
    private final Clock clock;

    SigV4Verifier(LocalCredentials credentials, String region, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
    }

    Outcome verify(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                n -> new ArrayList<>()).addAll(values));
        List<String> authorization = headers.getOrDefault("authorization", List.of());
        if (authorization.isEmpty()) {
            return Outcome.refused(GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN, null);
        }
        Map<String, String> fields = fields(authorization.get(0));
        List<String> missing = new ArrayList<>();
        for (String field : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!fields.containsKey(field)) {
                missing.add("Authorization header requires '" + field + "' parameter.");
            }
        }
        String amzDate = first(headers, "x-amz-date");
        if (amzDate == null) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            return incomplete(String.join(" ", missing));
        }
        String[] scope = fields.get("Credential").split("/", -1);
        if (scope.length != 5) {
            return incomplete("Credential should be scoped to a valid region, not ''.");
        }
        if (!scope[2].equals(region)) {
            return incomplete("Credential should be scoped to a valid region, not '" + scope[2] + "'.");
        }
        if (!scope[3].equals(SERVICE)) {
            return incomplete("Credential should be scoped to correct service: '" + SERVICE + "'.");
        }
        if (!scope[4].equals("aws4_request")) {
            return incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + scope[4] + "'.");
        }
        List<String> signedHeaders = List.of(fields.get("SignedHeaders").toLowerCase(Locale.ROOT).split(";"));
        if (!signedHeaders.contains("host")) {
            return incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            return incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. See "
                    + "http://en.wikipedia.org/wiki/ISO_8601");
        }
        if (!amzDate.startsWith(scope[1])) {
            return invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + scope[1] + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(SKEW))) {
            return invalid("Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(SKEW))
                    + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(SKEW))) {
            return invalid("Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(SKEW)) + " (" + AMZ_DATE.format(now) + " + 5 min.)");
        }
        Optional<LocalCredentials.Identity> identity = credentials.identity(scope[0]);
        String token = first(headers, "x-amz-security-token");
        if (identity.isEmpty() || !identity.get().sessionToken().equals(Optional.ofNullable(token))) {
            return Outcome.refused(GatewayResponses.Type.ACCESS_DENIED, INVALID_TOKEN);
        }
        String bodyHash = hex(sha256(request.body()));
        String sentHash = first(headers, "x-amz-content-sha256");
        if (sentHash != null && !sentHash.equals(bodyHash)) {
            return invalid(MISMATCH);
        }
        String canonical = String.join("\n", request.method(), canonicalPath(request.rawPath()),
                canonicalQuery(request.rawQuery()), canonicalHeaders(signedHeaders, headers),
                String.join(";", signedHeaders), bodyHash);
        String credentialScope = String.join("/", scope[1], scope[2], scope[3], scope[4]);
        String stringToSign = String.join("\n", ALGORITHM, amzDate, credentialScope,
                hex(sha256(canonical.getBytes(StandardCharsets.UTF_8))));
        byte[] key = hmac(("AWS4" + identity.get().secretAccessKey()).getBytes(StandardCharsets.UTF_8), scope[1]);
        for (String part : List.of(scope[2], scope[3], scope[4])) {
            key = hmac(key, part);
        }
        byte[] expected = hex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        byte[] sent = fields.get("Signature").getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, sent) ? new Outcome(identity, null, null) : invalid(MISMATCH);
    }

    /** {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}; another scheme has no fields. */
    private static Map<String, String> fields(String authorization) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (!authorization.startsWith(ALGORITHM + " ")) {
            return fields;
        }
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return fields;
    }

    /** The raw path normalised (no {@code .} or {@code ..} segments), then URI-encoded once more. */
    static String canonicalPath(String rawPath) {
        String path = URI.create("http://h" + (rawPath.isEmpty() ? "/" : rawPath)).normalize().getRawPath();
        return encode(path, false);
    }

    /** Each parameter decoded then encoded strictly, sorted by name then value; a name alone has an empty value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                pairs.add(new String[] {encode(decode(eq < 0 ? pair : pair.substring(0, eq)), true),
                        encode(decode(eq < 0 ? "" : pair.substring(eq + 1)), true)});
            }
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        return String.join("&", pairs.stream().map(p -> p[0] + "=" + p[1]).toList());
    }

    private static String canonicalHeaders(List<String> signed, Map<String, List<String>> headers) {
        StringBuilder out = new StringBuilder();
        for (String name : signed) {
            List<String> values = headers.getOrDefault(name, List.of());
            out.append(name).append(':').append(String.join(",",
                    values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList())).append('\n');
        }
        return out.toString();
    }

    /** RFC 3986 unreserved characters kept, every other byte %XX (upper case); '/' kept unless {@code slash}. */
    private static String encode(String text, boolean slash) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !slash)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0).trim();
    }

    private static Outcome incomplete(String message) {
        return Outcome.refused(GatewayResponses.Type.INCOMPLETE_SIGNATURE, message);
    }

    private static Outcome invalid(String message) {
        return Outcome.refused(GatewayResponses.Type.INVALID_SIGNATURE, message);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
