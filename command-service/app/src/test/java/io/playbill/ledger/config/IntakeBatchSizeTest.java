package io.playbill.ledger.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The intake's batch size stays within what the publisher waits for (decision 054). */
class IntakeBatchSizeTest {

    @Test
    void aBatchWhoseEventsThePublisherCouldSkipIsRefusedAtStartUp() {
        assertThatCode(() -> LedgerConfiguration.requireBatchesWithinGapOffset(100)).doesNotThrowAnyException();
        assertThatCode(() -> LedgerConfiguration.requireBatchesWithinGapOffset(208)).doesNotThrowAnyException();
        assertThatThrownBy(() -> LedgerConfiguration.requireBatchesWithinGapOffset(209))
                .hasMessageContaining("use at most 208");
        assertThatThrownBy(() -> LedgerConfiguration.requireBatchesWithinGapOffset(null))
                .as("Kafka's default, 500").hasMessageContaining("max-poll-records is 500");
    }
}
