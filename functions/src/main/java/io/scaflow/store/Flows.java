package io.scaflow.store;

import java.util.List;
import java.util.Optional;

/**
 * Where flows are kept: {@link FlowStore} in DynamoDB, an in-memory one in the unit tests. Every implementation
 * keeps the same contract: a create of a taken id throws {@link FlowExistsException}, a conditional change that
 * loses (the flow is in another status, on another attempt, lists other action requests, or is missing) throws
 * {@link FlowConflictException}, a move along an edge {@link FlowStatus#canMoveTo} does not allow throws
 * {@link IllegalStateException}, and a change to a final status removes the flow's secrets in the same write.
 */
public interface Flows {

    /** Records a new flow; {@link FlowExistsException} when its id is taken. */
    void create(Flow flow);

    /**
     * Records a new flow if every usage counter still has room for it (each counts a flow id once).
     *
     * @throws FlowExistsException when its id is taken
     * @throws LimitExceededException naming the counter that refused (nothing created)
     */
    void create(Flow flow, List<UsageCounter> counters);

    Optional<Flow> find(String flowId);

    /** The flow; {@link FlowNotFoundException} when there is none. Its tokens are decrypted when first used. */
    Flow get(String flowId);

    /**
     * The flow with its tokens decrypted now, so that a key failure ({@link TokenCipherException}) shows before
     * anything is done with them.
     */
    Flow getWithTokens(String flowId);

    /**
     * Applies {@code change} if the flow is still {@code expected} (and on the attempt, with the number of action
     * requests, that the change expects); returns the flow as written. {@code change} itself is left as it is.
     *
     * @throws FlowConflictException when the flow is in another status (or missing), or changed otherwise
     * @throws IllegalStateException when the change would move the flow along an edge that does not exist
     */
    Flow change(String flowId, FlowStatus expected, FlowChange change);

    /**
     * Adds an action request to the flow's list whatever its status; adding an id already listed changes nothing.
     * Returns the flow.
     *
     * @throws FlowNotFoundException when the flow does not exist
     */
    Flow record(String flowId, KnownActionRequest request);
}
