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
}
