package io.scaflow.store;

/**
 * A conditional write found the flow in another status than expected, or otherwise changed (another attempt,
 * another action request): someone else moved it first (a duplicate invocation, a cancel). The caller reads the flow again and acts on what it finds.
 */
public final class FlowConflictException extends RuntimeException {

    private final FlowStatus actual;

    public FlowConflictException(String flowId, FlowStatus expected, FlowStatus actual) {
        super("flow " + flowId + (actual == expected ? " changed meanwhile (still " + expected + ")"
                : " is " + (actual == null ? "missing" : actual) + ", not " + expected));
        this.actual = actual;
    }

    /** The status found, or null when the flow does not exist. */
    public FlowStatus actual() {
        return actual;
    }
}
