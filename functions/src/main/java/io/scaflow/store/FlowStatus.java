package io.scaflow.store;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a flow stands. Every change is a conditional write from the status the writer saw, along an edge of
 * {@link #canMoveTo}: a flow never moves backwards and never leaves a final status.
 */
public enum FlowStatus {
    /** Recorded; no action request yet. */
    PENDING,
    /** An action request is out; the user has to confirm it in Shine's app. */
    AWAITING_CONFIRMATION,
    /** The user confirmed; the short-lived token is stored until the action runs. */
    CONFIRMED,
    /** The action's request is being sent to Shine: from here on it is never sent again. */
    EXECUTING,
    /** Shine did the action; its answer is in the flow. */
    SUCCEEDED,
    /** The user rejected the action request. */
    REJECTED,
    /** The action request expired; a new one is created while attempts remain, else this is final. */
    EXPIRED,
    /** Stopped on request before execution. */
    CANCELLED,
    /** Ended without doing the action (Shine refused, bad input, a fault before execution). */
    FAILED,
    /** The action's request may have reached Shine and no answer came: check the account before acting again. */
    OUTCOME_UNKNOWN;

    private static final Set<FlowStatus> FINAL = EnumSet.of(SUCCEEDED, REJECTED, CANCELLED, FAILED, OUTCOME_UNKNOWN);

    /**
     * Final: nothing more is attempted. EXPIRED is not here because it may be renewed (the flow item says whether
     * it will be); OUTCOME_UNKNOWN is, though a late answer from Shine may still turn it into SUCCEEDED.
     */
    public boolean isFinal() {
        return FINAL.contains(this);
    }

    /** True when the action can no longer be sent to Shine by this flow. */
    public boolean isPastExecution() {
        return this == EXECUTING || this == SUCCEEDED || this == OUTCOME_UNKNOWN;
    }

    /**
     * The moves only a person's reconciliation makes ({@link FlowChange#reconciled}): OUTCOME_UNKNOWN to SUCCEEDED or
     * FAILED, once someone checked the account. No step of the flow moves a flow this way, and a reconciliation
     * moves it no other way.
     */
    public boolean canBeReconciledTo(FlowStatus next) {
        return this == OUTCOME_UNKNOWN && (next == SUCCEEDED || next == FAILED);
    }

    public boolean canMoveTo(FlowStatus next) {
        return switch (this) {
            case PENDING -> EnumSet.of(AWAITING_CONFIRMATION, CANCELLED, FAILED).contains(next);
            case AWAITING_CONFIRMATION -> EnumSet.of(CONFIRMED, REJECTED, EXPIRED, CANCELLED, FAILED).contains(next);
            case EXPIRED -> EnumSet.of(AWAITING_CONFIRMATION, CANCELLED, FAILED).contains(next);
            case CONFIRMED -> EnumSet.of(EXECUTING, CANCELLED, FAILED).contains(next);
            case EXECUTING -> EnumSet.of(SUCCEEDED, FAILED, OUTCOME_UNKNOWN).contains(next);
            // Shine's answer arrived after the flow was given up as unknown: the outcome is known after all.
            case OUTCOME_UNKNOWN -> next == SUCCEEDED;
            case SUCCEEDED, REJECTED, CANCELLED, FAILED -> false;
        };
    }
}
