package io.playbill.ledger.axon;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread account snapshots are taken on. Axon's snapshotter runs its task on the thread that made the
 * snapshot due unless given an executor: that was the intake's thread, inside the batch's transaction, so every
 * {@code snapshot-threshold}th event of an account held up the whole batch and its replies while the account's
 * events were read back and the snapshot written.
 *
 * <p>A task is handed over once the current transaction has ended, so a snapshot includes what the batch committed,
 * and whichever way it ended: Axon marks the account's snapshot as in progress until its task has run, and a task
 * never run would keep that account from being snapshotted again. The queue is unbounded but holds at most one task
 * per account for the same reason. Its metrics are Micrometer's {@code executor.*} with {@code name=ledger.snapshots}.
 */
public final class SnapshotThread implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotThread.class);

    private final ExecutorService thread;

    public SnapshotThread(MeterRegistry meters) {
        // A ThreadPoolExecutor, not Executors.newSingleThreadExecutor's wrapper of one, so that Micrometer sees its queue.
        ExecutorService single = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread snapshots = new Thread(task, "ledger-snapshots");
                    snapshots.setDaemon(true);
                    return snapshots;
                });
        this.thread = ExecutorServiceMetrics.monitor(meters, single, "ledger.snapshots");
    }

    /** What the snapshotter runs its tasks with. */
    public Executor afterTransaction() {
        return task -> {
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        hand(task);
                    }
                });
            } else {
                hand(task);
            }
        };
    }

    private void hand(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("Shutting down: an account snapshot is left for the next start to take");
        }
    }

    /**
     * Drops the snapshots still waiting and lets the one being written finish (briefly), before the data source
     * closes. A snapshot not taken is taken after the account's next events.
     */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("An account snapshot was still being written at shutdown; it is left unfinished");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
