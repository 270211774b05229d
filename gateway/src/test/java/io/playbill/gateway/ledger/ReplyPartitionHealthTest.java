package io.playbill.gateway.ledger;

import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A gateway instance that reads no reply partition is not ready: every ledger call of it would answer 503. */
class ReplyPartitionHealthTest {

    @Test
    void downWithoutAReplyPartitionUpWithOneDownAgainWhenItIsTaken() {
        ReplyPartitionAssignment assignment = new ReplyPartitionAssignment();
        ReplyPartitionHealth health = new ReplyPartitionHealth(assignment);
        TopicPartition partition = new TopicPartition(LedgerTopics.REPLIES, 3);
        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.LATEST);
        consumer.assign(List.of(partition));
        consumer.updateEndOffsets(Map.of(partition, 0L));

        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assignment.onPartitionsAssigned(consumer, List.of(partition));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assignment.onPartitionsRevokedBeforeCommit(consumer, List.of(partition));
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
