package io.playbill.query.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.api.events.FundsDeposited;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A replay or a rebuild's catch-up reads the topic with {@link TopicRecords#decodeOrMark}: whatever a record holds, it
 * never throws, so one bad record cannot stop a rebuild at the same offset for good. A ledger event it cannot read is
 * marked for the poison guard to park; a record that names no account and place is skipped, as the live processor
 * skips it.
 */
class TopicRecordsTest {

    private final TopicRecords records = new TopicRecords(new ObjectMapper());

    @Test
    void anEventOfATypeThisBuildDoesNotKnowIsReadAsUnknown() {
        LedgerEvent event = records.decodeOrMark(event("com.example.Future", "{}".getBytes(StandardCharsets.UTF_8),
                sequence(7))).orElseThrow();

        assertThat(event.aggregateId()).isEqualTo("alice");
        assertThat(event.sequence()).isEqualTo(7);
        assertThat(event.payload()).isEqualTo(new TopicRecords.Unknown("com.example.Future"));
    }

    @Test
    void aLedgerEventWithoutAValueOrWithBrokenJsonIsMarkedForParking() {
        for (byte[] value : new byte[][] {null, "{\"amount\":".getBytes(StandardCharsets.UTF_8),
                "null".getBytes(StandardCharsets.UTF_8)}) {
            LedgerEvent event = records.decodeOrMark(event(FundsDeposited.class.getName(), value, sequence(3)))
                    .orElseThrow();

            assertThat(event.eventId()).isEqualTo("event-1");
            assertThat(event.sequence()).isEqualTo(3);
            assertThat(event.payload()).isInstanceOfSatisfying(TopicRecords.Undecodable.class,
                    undecodable -> assertThat(undecodable.type()).isEqualTo(FundsDeposited.class.getName()));
        }
    }

    @Test
    void aLedgerEventWhoseTypeHeaderHasNoValueIsMarkedForParking() {
        ConsumerRecord<String, byte[]> record = event(FundsDeposited.class.getName(), new byte[0], sequence(3));
        record.headers().remove("axon-message-type");
        record.headers().add(new RecordHeader("axon-message-type", (byte[]) null));

        assertThat(records.decodeOrMark(record).orElseThrow().payload()).isInstanceOf(TopicRecords.Undecodable.class);
    }

    @Test
    void aRecordThatNamesNoAccountOrPlaceIsSkipped() {
        ConsumerRecord<String, byte[]> noHeaders = new ConsumerRecord<>("playbill.ledger-events", 0, 11, "alice",
                "{}".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> shortSequence = event(FundsDeposited.class.getName(), new byte[0],
                new byte[] {0, 0, 0, 3});
        ConsumerRecord<String, byte[]> nullAggregate = event(FundsDeposited.class.getName(), new byte[0], sequence(3));
        nullAggregate.headers().remove("axon-message-aggregate-id");
        nullAggregate.headers().add(new RecordHeader("axon-message-aggregate-id", (byte[]) null));

        assertThat(records.decodeOrMark(noHeaders)).isEmpty();
        assertThat(records.decodeOrMark(shortSequence)).isEmpty();
        assertThat(records.decodeOrMark(nullAggregate)).isEmpty();
        assertThatThrownBy(() -> records.decode(shortSequence)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a ledger event");
    }

    private static ConsumerRecord<String, byte[]> event(String type, byte[] value, byte[] sequence) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("playbill.ledger-events", 0, 10, "alice", value);
        record.headers().add("axon-message-id", "event-1".getBytes(StandardCharsets.UTF_8));
        record.headers().add("axon-message-type", type.getBytes(StandardCharsets.UTF_8));
        record.headers().add("axon-message-aggregate-id", "alice".getBytes(StandardCharsets.UTF_8));
        record.headers().add("axon-message-aggregate-seq", sequence);
        return record;
    }

    private static byte[] sequence(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }
}
