package io.scaflow.api;

import io.scaflow.input.FieldError;
import java.util.List;

/**
 * An API error as an RFC 9457 problem document: a type slug, a title, the HTTP status, a detail a person can act
 * on, and for invalid input every field at fault.
 */
public final class Problem extends RuntimeException {

    public static final String TYPE_BASE = "https://scaflow.dev/problems/";

    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;

    public Problem(int status, String slug, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
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

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail);
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
