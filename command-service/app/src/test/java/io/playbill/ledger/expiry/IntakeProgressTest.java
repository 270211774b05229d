package io.playbill.ledger.expiry;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IntakeProgressTest {

    private static Deque<IntakeProgress.Sample> samples(IntakeProgress.Sample... oldestFirst) {
        return new ArrayDeque<>(List.of(oldestFirst));
    }

    @Test
    void anIdleIntakeHasDecidedEverythingUpToNow() {
        var samples = samples(new IntakeProgress.Sample(1_000, Map.of(0, 5L, 1, 7L)),
                new IntakeProgress.Sample(2_000, Map.of(0, 5L, 1, 7L)));

        assertThat(IntakeProgress.decidedUntil(samples, Map.of(0, 5L, 1, 7L))).isEqualTo(2_000);
    }

    @Test
    void aPartitionWithRequestsInFlightHoldsBackToTheLastSampleItHasCaughtUpWith() {
        var samples = samples(new IntakeProgress.Sample(1_000, Map.of(0, 5L, 1, 7L)),
                new IntakeProgress.Sample(2_000, Map.of(0, 9L, 1, 7L)),
                new IntakeProgress.Sample(3_000, Map.of(0, 12L, 1, 8L)));

        // Partition 0 has decided up to offset 9 (all sent by 2,000); partition 1 up to 7 (all sent by 2,000).
        assertThat(IntakeProgress.decidedUntil(samples, Map.of(0, 9L, 1, 7L))).isEqualTo(2_000);
        // Partition 0 only up to offset 6: everything sent by 1,000.
        assertThat(IntakeProgress.decidedUntil(samples, Map.of(0, 6L, 1, 8L))).isEqualTo(1_000);
    }

    @Test
    void aBacklogOlderThanEverySampleDecidesNothingAndAPartitionNeverCommittedCountsFromZero() {
        var samples = samples(new IntakeProgress.Sample(1_000, Map.of(0, 5L)),
                new IntakeProgress.Sample(2_000, Map.of(0, 6L)));

        assertThat(IntakeProgress.decidedUntil(samples, Map.of(0, 4L))).isEqualTo(Long.MIN_VALUE);
        assertThat(IntakeProgress.decidedUntil(samples, Map.of())).isEqualTo(Long.MIN_VALUE);
        assertThat(IntakeProgress.decidedUntil(samples(new IntakeProgress.Sample(3_000, Map.of(0, 0L))), Map.of()))
                .as("an empty partition has nothing to decide").isEqualTo(3_000);
    }

    @Test
    void aPartitionNeverCommittedCountsFromItsLogStartSoRetentionCannotHoldTheExpiryBackForEver() {
        // Partition 1's requests were all deleted by retention (log start 40 = end 40), and the group's commit for it
        // expired: before, it counted from 0, never reached a sample, and no session expired any more.
        var samples = samples(new IntakeProgress.Sample(1_000, Map.of(0, 5L, 1, 40L)),
                new IntakeProgress.Sample(2_000, Map.of(0, 5L, 1, 40L)));
        Map<Integer, Long> reached = IntakeProgress.reached(Map.of(0, 5L), Map.of(0, 0L, 1, 40L));

        assertThat(reached).containsExactlyInAnyOrderEntriesOf(Map.of(0, 5L, 1, 40L));
        assertThat(IntakeProgress.decidedUntil(samples, reached)).isEqualTo(2_000);
        assertThat(IntakeProgress.reached(Map.of(0, 3L), Map.of(0, 2L))).as("a commit beyond the log start counts")
                .containsEntry(0, 3L);
        assertThat(IntakeProgress.decidedUntil(samples, IntakeProgress.reached(Map.of(0, 5L), Map.of(0, 0L, 1, 30L))))
                .as("requests still there and never decided hold it back").isEqualTo(Long.MIN_VALUE);
    }
}
