package io.scaflow.core;

import java.util.regex.Pattern;

/**
 * What a token must look like to be sent in an HTTP header. Checked as given: nothing is trimmed, since a token
 * with a trailing newline (a secret stored with one) is not the token Shine issued, and quietly repairing a
 * credential hides the fault that made it.
 *
 * <ul>
 *   <li>The user's access token goes in {@code Authorization: Bearer <token>}: an RFC 6750 {@code b64token},
 *       {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}, at most {@value #MAX_LENGTH}
 *       characters.</li>
 *   <li>The short-lived token goes in its own {@code short-lived-token} header, whose format Shine does not
 *       document: 1 to {@value #MAX_LENGTH} visible ASCII characters ({@code !} to {@code ~}), what a header value
 *       can carry without folding, spaces or control characters.</li>
 * </ul>
 */
public final class Tokens {

    public static final int MAX_LENGTH = 4096;

    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[!-~]+");

    /** The access token's rule, as errors state it. */
    public static final String BEARER_RULE = "an RFC 6750 bearer token: 1 to " + MAX_LENGTH
            + " letters, digits, '-', '.', '_', '~', '+' or '/', then optional '=' padding; nothing is trimmed, so no "
            + "space, newline or other character";
    /** The short-lived token's rule, as errors state it. */
    public static final String HEADER_RULE = "1 to " + MAX_LENGTH + " visible ASCII characters";

    private Tokens() {
    }

    /** True for an RFC 6750 {@code b64token} of at most {@link #MAX_LENGTH} characters. */
    public static boolean isBearerToken(String value) {
        return value != null && value.length() <= MAX_LENGTH && B64TOKEN.matcher(value).matches();
    }

    /** True for 1 to {@link #MAX_LENGTH} visible ASCII characters. */
    public static boolean isHeaderToken(String value) {
        return value != null && value.length() <= MAX_LENGTH && VISIBLE_ASCII.matcher(value).matches();
    }
}
