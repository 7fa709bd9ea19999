package io.scaflow.store;

/** A flow with this id is already recorded. */
public final class FlowExistsException extends RuntimeException {

    public FlowExistsException(String flowId) {
        super("flow " + flowId + " already exists");
    }
}
