package io.scaflow.store;

/** No flow has this id. */
public final class FlowNotFoundException extends RuntimeException {

    public FlowNotFoundException(String flowId) {
        super("flow " + flowId + " does not exist");
    }
}
