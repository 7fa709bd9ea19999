package io.scaflow.prime;

/**
 * What one handler does around a SnapStart snapshot. {@link #prime()} runs before the snapshot is taken: it loads
 * and exercises what the first invocation needs, in memory only (no call leaves the process, no credential or
 * secret is read). {@link #refresh()} runs in every instance restored from the snapshot, before its first
 * invocation: it drops what must not be shared by instances (see docs/design.md, "SnapStart: what the snapshot
 * holds").
 */
public interface Primer {

    /** The handler's first-invocation work, on in-memory fakes. */
    void prime() throws Exception;

    /** After a restore: forget what the snapshot must not hand to every instance. */
    default void refresh() {
    }
}
