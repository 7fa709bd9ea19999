package io.scaflow.local.sandbox;

/**
 * A refusal with its HTTP status and a short code, written as {@code {"error": {"code", "message"}}}.
 * Messages never contain a client secret, an access token or a short-lived token.
 */
public class SandboxException extends RuntimeException {

    private final int status;
    private final String code;

    public SandboxException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static SandboxException badRequest(String message) {
        return new SandboxException(400, "INVALID_REQUEST", message);
    }

    public static SandboxException unauthorized(String message) {
        return new SandboxException(401, "UNAUTHORIZED", message);
    }

    public static SandboxException tokenRefused(String message) {
        return new SandboxException(403, "SHORT_LIVED_TOKEN_REFUSED", message);
    }

    public static SandboxException notFound(String message) {
        return new SandboxException(404, "NOT_FOUND", message);
    }

    public static SandboxException conflict(String code, String message) {
        return new SandboxException(409, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
