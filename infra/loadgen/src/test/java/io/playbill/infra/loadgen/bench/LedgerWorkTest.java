package io.playbill.infra.loadgen.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Read from a real Micrometer Prometheus registry holding command-service's meters as it registers them (the intake's
 * untagged batch timer with its histogram, the snapshot thread's executor metrics beside another executor's), so that
 * the reader follows the exposition's real shape: a hand-written text once hid that an untagged series has no braces.
 */
class LedgerWorkTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer batches = Timer.builder("playbill.ledger.intake.decide")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    private final ExecutorService snapshots = ExecutorServiceMetrics.monitor(registry, oneThread(),
            "ledger.snapshots");
    private final ExecutorService other = ExecutorServiceMetrics.monitor(registry, oneThread(),
            "applicationTaskExecutor");

    /** As command-service's snapshot thread: a plain pool Micrometer can look into. */
    private static ExecutorService oneThread() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    }

    @AfterEach
    void stopExecutors() throws InterruptedException {
        snapshots.shutdown();
        other.shutdown();
        assertThat(snapshots.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(other.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void readsTheSnapshotThreadAndTheIntakeBatchesAndNothingElse() throws Exception {
        batches.record(Duration.ofMillis(10));
        batches.record(Duration.ofMillis(30));
        for (int i = 0; i < 3; i++) {
            snapshots.submit(() -> { }).get();
        }
        for (int i = 0; i < 7; i++) {
            other.submit(() -> { }).get();
        }

        LedgerWork read = LedgerWork.parse(registry.scrape());

        assertThat(read.batches()).isEqualTo(2);
        assertThat(read.batchSeconds()).isCloseTo(0.04, within(1e-9));
        assertThat(read.snapshots()).isEqualTo(3);
        assertThat(read.snapshotSeconds()).isPositive();
    }

    @Test
    void whatHappenedBetweenTwoReadingsIsTheirDifference() {
        batches.record(Duration.ofMillis(100));
        LedgerWork before = LedgerWork.parse(registry.scrape());
        batches.record(Duration.ofMillis(40));
        batches.record(Duration.ofMillis(60));

        LedgerWork ramp = LedgerWork.parse(registry.scrape()).since(before);

        assertThat(ramp.batches()).isEqualTo(2);
        assertThat(ramp.snapshots()).isZero();
        assertThat(ramp.describe()).isEqualTo("0 snapshots, 0.0 ms each on the snapshot thread; 2 intake "
                + "batches, 50.0 ms each to decide and commit");
    }

    @Test
    void countersThatAreAbsentCountNothing() {
        LedgerWork none = LedgerWork.parse("# nothing here\n");

        assertThat(none).isEqualTo(new LedgerWork(0, 0, 0, 0));
        assertThat(none.describe()).startsWith("0 snapshots, 0.0 ms each");
    }
}
