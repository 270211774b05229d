package io.playbill.query.projection;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ledger-events topic seen directly, without Axon: plain consumers (for audits) and the offsets a replay counts
 * its progress against. Uses the same connection settings ({@link KafkaConsumerSettings}) as the projections.
 */
@Component
public class LedgerTopic {

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /**
     * How long a request waits for the broker: shorter than the gateway's read timeout (30 s), so that while the
     * broker is down the caller gets this service's 503 rather than the gateway's.
     */
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProperties kafka;
    private final KafkaConsumerSettings settings;

    LedgerTopic(KafkaProperties kafka, KafkaConsumerSettings settings) {
        this.kafka = kafka;
        this.settings = settings;
    }

    public String name() {
        return kafka.getDefaultTopic();
    }

    /** A consumer with no group (use {@code assign}), keys as strings and values as bytes. */
    public Consumer<String, byte[]> newConsumer(String purpose) {
        Map<String, Object> config = settings.newConfig();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "playbill-query-" + purpose + "-" + CLIENTS.incrementAndGet());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    /** The record at {@code offset} of {@code partition}; empty when it is no longer (or not yet) there. */
    public Optional<ConsumerRecord<String, byte[]>> read(int partition, long offset) {
        try (Consumer<String, byte[]> consumer = newConsumer("read")) {
            TopicPartition topicPartition = new TopicPartition(name(), partition);
            consumer.assign(List.of(topicPartition));
            consumer.seek(topicPartition, offset);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.offset() == offset ? Optional.of(record) : Optional.empty();
                }
            }
            return Optional.empty();
        }
    }

    /** The first and next offsets of every partition now. */
    public Offsets offsets() {
        try (Consumer<String, byte[]> consumer = newConsumer("offsets")) {
            return offsets(consumer);
        }
    }

    private Offsets offsets(Consumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = partitions(consumer);
        return new Offsets(consumer.beginningOffsets(partitions, BROKER_TIMEOUT),
                consumer.endOffsets(partitions, BROKER_TIMEOUT));
    }

    private List<TopicPartition> partitions(Consumer<String, byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(name(), BROKER_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Topic " + name() + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    /**
     * First offset and next (end) offset per partition.
     */
    public record Offsets(Map<TopicPartition, Long> beginning, Map<TopicPartition, Long> end) {

        public Offsets {
            beginning = Map.copyOf(beginning);
            end = Map.copyOf(end);
        }

        /** How many records the topic holds. */
        public long records() {
            return end.entrySet().stream().mapToLong(e -> e.getValue() - beginning.getOrDefault(e.getKey(), 0L)).sum();
        }
    }
}
