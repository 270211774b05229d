package io.playbill.infra.loadgen.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerWorkTest {

    private static final String BEFORE = """
            # HELP executor_seconds \s
            # TYPE executor_seconds summary
            executor_seconds_count{application="command-service",name="ledger.snapshots"} 10
            executor_seconds_sum{application="command-service",name="ledger.snapshots"} 0.2
            executor_seconds_count{application="command-service",name="applicationTaskExecutor"} 999
            # TYPE playbill_ledger_intake_decide_seconds summary
            playbill_ledger_intake_decide_seconds_count{application="command-service"} 100
            playbill_ledger_intake_decide_seconds_sum{application="command-service"} 1.5
            playbill_ledger_intake_decide_seconds_max{application="command-service"} 0.3
            """;

    @Test
    void readsTheSnapshotThreadAndTheIntakeBatchesAndNothingElse() {
        assertThat(LedgerWork.parse(BEFORE)).isEqualTo(new LedgerWork(10, 0.2, 100, 1.5));
    }

    @Test
    void whatHappenedBetweenTwoReadingsIsTheirDifference() {
        LedgerWork after = LedgerWork.parse(BEFORE.replace("} 10\n", "} 712\n").replace("} 0.2\n", "} 14.6\n")
                .replace("} 100\n", "} 6044\n").replace("} 1.5\n", "} 310.05\n"));

        LedgerWork ramp = after.since(LedgerWork.parse(BEFORE));

        assertThat(ramp.snapshots()).isEqualTo(702);
        assertThat(ramp.batches()).isEqualTo(5944);
        assertThat(ramp.describe()).isEqualTo("702 snapshots, 20.5 ms each on the snapshot thread; 5944 intake "
                + "batches, 51.9 ms each to decide and commit");
    }

    @Test
    void countersThatAreAbsentCountNothing() {
        LedgerWork none = LedgerWork.parse("# nothing here\n");

        assertThat(none).isEqualTo(new LedgerWork(0, 0, 0, 0));
        assertThat(none.describe()).startsWith("0 snapshots, 0.0 ms each");
    }
}
