package io.playbill.query.audit;

import io.playbill.query.audit.rules.AuditEvent;
import io.playbill.query.projection.LedgerTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the ledger-events topic with a plain Kafka consumer (no Axon), from each partition's first record up to
 * fixed end offsets, and decodes each record from the headers the ledger's publisher writes
 * ({@code axon-message-id}, {@code -type}, {@code -aggregate-id}, {@code -aggregate-seq}, {@code -timestamp}) and
 * its JSON value.
 */
final class TopicScan {

    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);
    private static final Object NOT_DECODED = new Object();

    private final LedgerTopic topic;
    private final EventDecoder decoder;

    TopicScan(LedgerTopic topic, EventDecoder decoder) {
        this.topic = topic;
        this.decoder = decoder;
    }

    /**
     * Hands every record before {@code offsets.end()} to {@code sink}; with {@code keys}, only those keys' records,
     * reading only their partitions (found as Kafka's default partitioner places a key). Payloads are decoded only
     * when asked: fingerprints need the headers only. Returns the records read.
     */
    long read(LedgerTopic.Offsets offsets, Set<String> keys, boolean decode,
              java.util.function.Consumer<AuditEvent> sink) {
        try (Consumer<String, byte[]> consumer = topic.newConsumer("audit")) {
            List<TopicPartition> partitions = partitions(offsets, keys);
            consumer.assign(partitions);
            partitions.forEach(partition -> consumer.seek(partition, offsets.beginning().get(partition)));
            Set<TopicPartition> open = new HashSet<>(partitions);
            long read = 0;
            long lastProgress = System.nanoTime();
            while (!open.isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    lastProgress = System.nanoTime();
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= offsets.end().get(partition)
                            || keys != null && !keys.contains(record.key())) {
                        continue;
                    }
                    read++;
                    sink.accept(event(record, decode));
                }
                for (TopicPartition partition : List.copyOf(open)) {
                    if (consumer.position(partition) >= offsets.end().get(partition)) {
                        open.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
                if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
                    throw new IllegalStateException("Reading " + topic.name() + " stalled on partitions " + open);
                }
            }
            return read;
        }
    }

    private List<TopicPartition> partitions(LedgerTopic.Offsets offsets, Collection<String> keys) {
        List<TopicPartition> all = offsets.end().keySet().stream()
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
        Set<Integer> wanted = null;
        if (keys != null) {
            wanted = new HashSet<>();
            for (String key : keys) {
                wanted.add(Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % all.size());
            }
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicPartition partition : all) {
            boolean hasRecords = offsets.end().get(partition) > offsets.beginning().get(partition);
            if (hasRecords && (wanted == null || wanted.contains(partition.partition()))) {
                partitions.add(partition);
            }
        }
        return partitions;
    }

    private AuditEvent event(ConsumerRecord<String, byte[]> record, boolean decode) {
        String id = text(record, "axon-message-id");
        String type = text(record, "axon-message-type");
        String aggregate = text(record, "axon-message-aggregate-id");
        Long sequence = number(record, "axon-message-aggregate-seq");
        Long timestamp = number(record, "axon-message-timestamp");
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (id == null || type == null || aggregate == null || sequence == null) {
            return new AuditEvent(id == null ? where : id, aggregate == null ? record.key() : aggregate, -1,
                    type == null ? "unknown" : type, new AuditEvent.UndecodablePayload(type,
                    "The record at " + where + " lacks the ledger's message headers"), Instant.EPOCH);
        }
        Object payload = decode ? decoder.decode(type, record.value()) : NOT_DECODED;
        return new AuditEvent(id, aggregate, sequence, type, payload,
                Instant.ofEpochMilli(timestamp == null ? record.timestamp() : timestamp));
    }

    private static String text(ConsumerRecord<String, byte[]> record, String header) {
        Header value = record.headers().lastHeader(header);
        return value == null || value.value() == null ? null : new String(value.value(), StandardCharsets.UTF_8);
    }

    private static Long number(ConsumerRecord<String, byte[]> record, String header) {
        Header value = record.headers().lastHeader(header);
        return value == null || value.value() == null || value.value().length != Long.BYTES ? null
                : ByteBuffer.wrap(value.value()).getLong();
    }
}
