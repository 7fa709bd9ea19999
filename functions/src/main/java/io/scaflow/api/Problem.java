package io.scaflow.api;

import io.scaflow.input.FieldError;
import java.util.List;

/**
 * An API error as an RFC 9457 problem document: a stable code (the slug of its type, also given as {@code code}),
 * a title, the HTTP status, a detail a person can act on, and the fields at fault (a body field, {@code body}
 * itself, a header, or {@code id} of the path) each with a reason. The codes are listed in docs/api.md.
 */
public final class Problem extends RuntimeException {

    public static final String TYPE_BASE = "https://scaflow.dev/problems/";

    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;
    private final long retryAfterSeconds;

    public Problem(int status, String slug, String title, String detail, List<FieldError> errors) {
        this(status, slug, title, detail, errors, -1);
    }

    private Problem(int status, String slug, String title, String detail, List<FieldError> errors,
                    long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** This problem, answered with {@code Retry-After: seconds}. */
    public Problem withRetryAfter(long seconds) {
        return new Problem(status, slug, title, getMessage(), errors, Math.max(0, seconds));
    }

    /** The {@code Retry-After} seconds, or -1 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, List.of());
    }

    public static Problem invalidInput(List<FieldError> errors) {
        return new Problem(400, "invalid-input", "Invalid input",
                errors.size() == 1 ? errors.get(0).toString() : errors.size() + " fields are invalid: "
                        + String.join("; ", errors.stream().map(FieldError::toString).toList()), errors);
    }

    public static Problem invalidField(String field, String reason) {
        return invalidInput(List.of(new FieldError(field, reason)));
    }

    /** 400 {@code malformed-json}: the body, as a whole, is not what the API reads ({@code reason} completes "the body ..."). */
    public static Problem malformedBody(String reason) {
        return new Problem(400, "malformed-json", "Malformed JSON", "the body " + reason,
                List.of(new FieldError("body", reason)));
    }

    /** 404 {@code not-found}, naming the part of the request that names nothing ({@code id} or {@code path}). */
    public static Problem notFound(String field, String reason) {
        return new Problem(404, "not-found", "Not found", field + " " + reason, List.of(new FieldError(field, reason)));
    }

    /**
     * 403 {@code forbidden}: the request carries no IAM identity, so no caller owns what it would start or see.
     * Nothing of the request is quoted.
     */
    public static Problem forbidden() {
        return new Problem(403, "forbidden", "Forbidden", "the request carries no IAM identity "
                + "(requestContext.identity.userArn); this API answers IAM-authenticated (SigV4) callers only",
                List.of(new FieldError("identity", "is missing: sign the request with IAM credentials")));
    }

    /** 415 {@code unsupported-media-type}: the body is not declared {@code application/json}. */
    public static Problem unsupportedMediaType(String reason) {
        return new Problem(415, "unsupported-media-type", "Unsupported media type",
                "send the body as application/json: the Content-Type " + reason,
                List.of(new FieldError("Content-Type", reason)));
    }

    /** 413 {@code body-too-large}. */
    public static Problem bodyTooLarge(int limit) {
        String reason = "must not exceed " + limit + " bytes";
        return new Problem(413, "body-too-large", "Body too large", "the body " + reason,
                List.of(new FieldError("body", reason)));
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
