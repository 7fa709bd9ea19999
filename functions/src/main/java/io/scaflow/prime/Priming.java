package io.scaflow.prime;

import io.scaflow.log.Log;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The primers of this JVM, each registered with CRaC's global context ({@code org.crac}): on Lambda with SnapStart,
 * the runtime calls {@code beforeCheckpoint} before it takes the snapshot and {@code afterRestore} in each restored
 * instance. The context keeps weak references only, so the registry keeps the resources. A plain JVM has no
 * checkpoint: {@link #beforeCheckpoint()} and {@link #afterRestore()} run the same hooks directly (the bench's
 * probe, the tests).
 *
 * <p>A primer that fails is logged (its class and the exception's class) and skipped: priming is an optimisation,
 * and a failure must not stop the snapshot. The handlers' own log lines during priming (fake flows, fake Shine
 * calls) go to {@link #logSink} instead of the function's log stream, so that no operator or metric filter reads
 * them as real work.
 */
public final class Priming {

    private static final Log LOG = Log.of(Priming.class);
    private static final List<PrimerResource> REGISTERED = new CopyOnWriteArrayList<>();
    private static volatile PrintStream logSink = new PrintStream(OutputStream.nullOutputStream());

    private Priming() {
    }

    /** Registers {@code primer} for this JVM's snapshot; returns the CRaC resource (kept here too). */
    public static Resource register(Primer primer) {
        PrimerResource resource = new PrimerResource(primer);
        REGISTERED.add(resource);
        Core.getGlobalContext().register(resource);
        return resource;
    }

    /** Runs every registered primer's {@link Primer#prime()}, as the snapshot would. */
    public static void beforeCheckpoint() {
        REGISTERED.forEach(PrimerResource::prime);
    }

    /** Runs every registered primer's {@link Primer#refresh()}, as a restore would. */
    public static void afterRestore() {
        REGISTERED.forEach(PrimerResource::refresh);
    }

    /** How many primers are registered (tests). */
    public static int registered() {
        return REGISTERED.size();
    }

    /** Forgets every primer (tests; the CRaC context keeps only weak references). */
    public static void clear() {
        REGISTERED.clear();
    }

    /** Where the handlers' log lines go while they are primed (tests read them); a discarding stream by default. */
    public static PrintStream logSink(PrintStream sink) {
        PrintStream previous = logSink;
        logSink = sink;
        return previous;
    }

    private static final class PrimerResource implements Resource {
        private final Primer primer;

        PrimerResource(Primer primer) {
            this.primer = primer;
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            prime();
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            refresh();
        }

        void prime() {
            long start = System.nanoTime();
            PrintStream previous = Log.redirect(logSink);
            String failure = null;
            try {
                primer.prime();
            } catch (Exception | LinkageError e) {
                failure = e.getClass().getName();
            } finally {
                Log.redirect(previous);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (failure == null) {
                LOG.info("primed", "primer", primer.getClass().getSimpleName(), "durationMs", ms);
            } else {
                LOG.warn("priming failed", "primer", primer.getClass().getSimpleName(), "error", failure,
                        "durationMs", ms);
            }
        }

        void refresh() {
            try {
                primer.refresh();
            } catch (RuntimeException e) {
                LOG.warn("refresh after restore failed", "primer", primer.getClass().getSimpleName(),
                        "error", e.getClass().getName());
                throw e;
            }
        }
    }
}
