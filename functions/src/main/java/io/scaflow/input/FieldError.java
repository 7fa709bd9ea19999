package io.scaflow.input;

/** One thing wrong with an input: the field (a JSON path like {@code payload.amount}) and why. */
public record FieldError(String field, String reason) {

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
