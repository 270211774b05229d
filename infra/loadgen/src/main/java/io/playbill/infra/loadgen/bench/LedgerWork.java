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


    /** Reads the counters from command-service's {@code /actuator/prometheus}; empty if it does not answer. */
    static Optional<LedgerWork> scrape(HttpClient http, String commandServiceUrl, String scrapeToken) {
        return PrometheusText.read(http, commandServiceUrl, scrapeToken).map(LedgerWork::parse);
    }

    /** The counters in a Prometheus text exposition; a counter that is absent counts 0. */
    static LedgerWork parse(String exposition) {
        double snapshots = 0;
        double snapshotSeconds = 0;
        double batches = 0;
        double batchSeconds = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            boolean snapshotThread = line.contains("name=\"ledger.snapshots\"");
            if (snapshotThread && line.startsWith("executor_seconds_count{")) {
                snapshots = PrometheusText.value(line);
            } else if (snapshotThread && line.startsWith("executor_seconds_sum{")) {
                snapshotSeconds = PrometheusText.value(line);
            } else if (line.startsWith("playbill_ledger_intake_decide_seconds_count")) {
                batches = PrometheusText.value(line);
            } else if (line.startsWith("playbill_ledger_intake_decide_seconds_sum")) {
                batchSeconds = PrometheusText.value(line);
            }
        }
        return new LedgerWork(snapshots, snapshotSeconds, batches, batchSeconds);
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
