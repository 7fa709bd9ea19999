package io.scaflow.flow;

import io.scaflow.store.FlowConflictException;
import java.util.function.Supplier;

/**
 * Read, decide, write conditionally, and read again when another writer won: the loop of every change that starts
 * from the flow's current status (cancel, ending a stopped flow). After {@link #ATTEMPTS} lost writes the conflict
 * is thrown: something keeps moving the flow.
 */
final class ConflictRetry {

    static final int ATTEMPTS = 3;

    private ConflictRetry() {
    }

    /** Runs {@code attempt} until it returns without a {@link FlowConflictException}, at most {@link #ATTEMPTS} times. */
    static <T> T run(Supplier<T> attempt) {
        for (int tried = 1; ; tried++) {
            try {
                return attempt.get();
            } catch (FlowConflictException e) {
                if (tried == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
