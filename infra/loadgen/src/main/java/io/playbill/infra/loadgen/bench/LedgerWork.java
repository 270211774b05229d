package io.playbill.infra.loadgen.bench;

import java.net.http.HttpClient;
import java.util.Locale;
import java.util.Optional;

/**
 * What command-service did beside deciding renews, read from its Prometheus counters before and after the ramp:
 * how many account snapshots its snapshot thread wrote and the time they took, and how many intake batches it
 * decided and committed and the time that took (docs/performance.md, "Snapshots off the intake thread").
 *
 * @param snapshots       snapshots written ({@code executor_seconds_count{name="ledger.snapshots"}})
 * @param snapshotSeconds their time on the snapshot thread
 * @param batches         intake batches decided and committed ({@code playbill_ledger_intake_decide_seconds_count})
 * @param batchSeconds    their time, commit included
 */
record LedgerWork(double snapshots, double snapshotSeconds, double batches, double batchSeconds) {

    private static final String SNAPSHOT_THREAD = "name=\"ledger.snapshots\"";

    /** Reads the counters from command-service's {@code /actuator/prometheus}; empty if it does not answer. */
    static Optional<LedgerWork> scrape(HttpClient http, String commandServiceUrl, String scrapeToken) {
        return PrometheusText.read(http, commandServiceUrl, scrapeToken).map(LedgerWork::parse);
    }

    /** The counters in a Prometheus text exposition; a counter that is absent counts 0. */
    static LedgerWork parse(String exposition) {
        return new LedgerWork(PrometheusText.sum(exposition, "executor_seconds_count", SNAPSHOT_THREAD),
                PrometheusText.sum(exposition, "executor_seconds_sum", SNAPSHOT_THREAD),
                PrometheusText.sum(exposition, "playbill_ledger_intake_decide_seconds_count"),
                PrometheusText.sum(exposition, "playbill_ledger_intake_decide_seconds_sum"));
    }

    /** What happened between {@code earlier} and this reading. */
    LedgerWork since(LedgerWork earlier) {
        return new LedgerWork(snapshots - earlier.snapshots, snapshotSeconds - earlier.snapshotSeconds,
                batches - earlier.batches, batchSeconds - earlier.batchSeconds);
    }

    String describe() {
        return String.format(Locale.ROOT, "%.0f snapshots, %.1f ms each on the snapshot thread; %.0f intake batches, "
                        + "%.1f ms each to decide and commit", snapshots, perItemMs(snapshotSeconds, snapshots),
                batches, perItemMs(batchSeconds, batches));
    }

    private static double perItemMs(double seconds, double count) {
        return count == 0 ? 0 : seconds * 1000 / count;
    }
}
