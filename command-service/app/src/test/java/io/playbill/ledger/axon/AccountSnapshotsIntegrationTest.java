package io.playbill.ledger.axon;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Account snapshots are taken on their own thread once the intake's batch has committed: the batch and its replies
 * never wait for one, and the snapshot holds what the batch committed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"playbill.ledger.snapshot-threshold=5", "playbill.ledger.expiry-scan-interval=200ms"})
class AccountSnapshotsIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    SnapshotThread snapshots;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    PlatformTransactionManager transactions;

    private final String user = "user-" + UUID.randomUUID();

    @Test
    void theIntakeAnswersWhileTheSnapshotWaitsForItsThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        occupySnapshotThreadUntil(release);
        try {
            for (int i = 1; i <= 6; i++) {
                assertThat(ledger.request(user, System.currentTimeMillis(),
                        new LedgerOperation.Deposit(10, user + "-pay-" + i)).balance()).isEqualTo(10L * i);
            }
            assertThat(snapshotSequences()).as("due after 5 events, but its thread is busy").isEmpty();
        } finally {
            release.countDown();
        }

        long lastEvent = jdbc.queryForObject("select max(sequence_number) from domain_event_entry"
                + " where aggregate_identifier = ?", Long.class, user);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(snapshotSequences())
                .as("one snapshot, of every event committed before it ran").containsExactly(lastEvent));
        assertThat(meters.get("executor.completed").tag("name", "ledger.snapshots").functionCounter().count())
                .isPositive();
        assertThat(ledger.request(user, System.currentTimeMillis(),
                new LedgerOperation.Deposit(10, user + "-pay-7")).balance()).isEqualTo(70);
    }

    @Test
    void aSnapshotTaskIsHandedOverOnlyOnceItsTransactionEndedEvenWhenItRolledBack() throws Exception {
        // A thread of the test's own: the application's may be handed the intake's snapshots meanwhile.
        MeterRegistry ownMeters = new SimpleMeterRegistry();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        try (SnapshotThread own = new SnapshotThread(ownMeters)) {
            occupyUntil(own, release);
            try {
                new TransactionTemplate(transactions).executeWithoutResult(status -> {
                    own.afterTransaction().execute(ran::countDown);
                    assertThat(queued(ownMeters)).as("not handed over inside the transaction").isZero();
                    status.setRollbackOnly();
                });
                assertThat(queued(ownMeters)).as("handed over once the transaction rolled back").isOne();
            } finally {
                release.countDown();
            }

            assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closingLetsTheSnapshotBeingWrittenFinishAndDropsTheWaitingOnes() throws Exception {
        AtomicBoolean written = new AtomicBoolean();
        AtomicBoolean waitingRan = new AtomicBoolean();
        CountDownLatch writing = new CountDownLatch(1);
        SnapshotThread own = new SnapshotThread(new SimpleMeterRegistry());
        own.afterTransaction().execute(() -> {
            writing.countDown();
            // Like a JDBC write, it does not stop when interrupted.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            written.set(true);
        });
        own.afterTransaction().execute(() -> waitingRan.set(true));
        assertThat(writing.await(20, TimeUnit.SECONDS)).isTrue();

        own.close();

        assertThat(written).as("the snapshot being written finished before close returned").isTrue();
        assertThat(waitingRan).as("a waiting snapshot is dropped").isFalse();
    }

    private static double queued(MeterRegistry registry) {
        return registry.get("executor.queued").tag("name", "ledger.snapshots").gauge().value();
    }

    private List<Long> snapshotSequences() {
        return jdbc.queryForList("select sequence_number from snapshot_event_entry where aggregate_identifier = ?",
                Long.class, user);
    }

    /** Returns once the snapshot thread is busy until {@code release}, its queue empty. */
    private void occupySnapshotThreadUntil(CountDownLatch release) throws InterruptedException {
        occupyUntil(snapshots, release);
    }

    private static void occupyUntil(SnapshotThread thread, CountDownLatch release) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        thread.afterTransaction().execute(() -> {
            busy.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(20, TimeUnit.SECONDS)).isTrue();
    }
}
