package io.scaflow.store;

/**
 * What a person recorded when settling an OUTCOME_UNKNOWN flow: who ({@code by}, the IAM identity API Gateway
 * authenticated, and {@code callerId}, its principal id, when known), why ({@code note}) and, for a transfer found
 * at Shine, its id ({@code shineTransferId}, else null). Kept in the history entry of the move.
 */
public record Reconciliation(String by, String callerId, String note, String shineTransferId) {

    /** The same decision as {@code other}: outcome aside, the same note and transfer id (whoever sent it). */
    public boolean sameAs(Reconciliation other) {
        return other != null && java.util.Objects.equals(note, other.note)
                && java.util.Objects.equals(shineTransferId, other.shineTransferId);
    }
}
