package io.playbill.ledger.expiry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * How far the ledger's intake has decided the requests waiting for it: the latest moment by which every request
 * on the request topic had been decided. Session expiry is measured against this instead of the wall clock, so a
 * session is never timed out while its renew still waits in Kafka (a ledger outage, an overload).
 *
 * <p>Each call samples the topic's end offsets and the intake group's committed offsets (two admin requests); a
 * partition has decided everything sent by the time of the newest earlier sample whose end offset its committed
 * offset has reached. The answer is the oldest of those over all partitions: conservative (one busy partition holds
 * back every expiry by about one scan interval), never early. The intake commits its offsets once per
 * {@code spring.kafka.listener.ack-time} (decision 048), so the answer also trails by up to that. Any instance can
 * answer for the whole group.
 *
 * <p>Each sample also sets {@code playbill.ledger.intake.lag{partition}}: the requests on the partition that the
 * intake has not decided and committed yet (end offset minus the group's committed offset). It is the group's lag,
 * so every instance reports the same (take the max), and it keeps growing while a batch fails and is retried, which
 * the consumer's own fetch lag does not show once the batch is fetched.
 */
@Component
class IntakeProgress implements AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(2);
    /** Older samples only matter during a backlog longer than this; expiry then waits for the backlog to clear. */
    private static final long HISTORY_MILLIS = 15 * 60_000;

    private final Admin admin;
    private final String group;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final MeterRegistry meters;
    /** The latest lag per partition, read by its gauge. */
    private final Map<Integer, AtomicLong> lag = new ConcurrentHashMap<>();
    private List<TopicPartition> partitions;

    IntakeProgress(KafkaAdmin kafkaAdmin, @Value("${spring.kafka.consumer.group-id}") String group,
                   MeterRegistry meters) {
        this.admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        this.group = group;
        this.meters = meters;
    }

    /** The moment up to which every request was decided; empty when Kafka could not be asked. */
    synchronized OptionalLong decidedUntil(long nowMillis) {
        try {
            Map<Integer, Long> end = offsets(OffsetSpec.latest());
            Map<Integer, Long> committed = reached(committedOffsets(), offsets(OffsetSpec.earliest()));
            end.forEach((partition, endOffset) -> lagOf(partition)
                    .set(Math.max(0, endOffset - committed.getOrDefault(partition, 0L))));
            samples.addLast(new Sample(nowMillis, end));
            samples.removeIf(sample -> sample.atMillis() < nowMillis - HISTORY_MILLIS);
            return OptionalLong.of(decidedUntil(samples, committed));
        } catch (ExecutionException | TimeoutException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /**
     * The pure rule: per partition, the time of the newest sample whose end offset the committed offset reached
     * (a partition without a committed offset has decided nothing); the oldest over all partitions;
     * {@link Long#MIN_VALUE} when some partition has not caught up with any sample kept.
     *
     * @param samples oldest first
     */
    static long decidedUntil(Deque<Sample> samples, Map<Integer, Long> committed) {
        if (samples.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long decided = Long.MAX_VALUE;
        for (Integer partition : samples.getLast().endOffsets().keySet()) {
            long reached = committed.getOrDefault(partition, 0L);
            long partitionDecided = Long.MIN_VALUE;
            for (Iterator<Sample> newestFirst = samples.descendingIterator(); newestFirst.hasNext(); ) {
                Sample sample = newestFirst.next();
                if (sample.endOffsets().getOrDefault(partition, 0L) <= reached) {
                    partitionDecided = sample.atMillis();
                    break;
                }
            }
            decided = Math.min(decided, partitionDecided);
        }
        return decided == Long.MAX_VALUE ? samples.getLast().atMillis() : decided;
    }

    /**
     * How far each partition's requests are decided: its committed offset, or, for a partition the group never
     * committed (or whose commit Kafka has expired), its log start offset. Nothing below the log start can still be
     * decided, and counting it as 0 would hold the expiry back for ever once retention emptied such a partition.
     */
    static Map<Integer, Long> reached(Map<Integer, Long> committed, Map<Integer, Long> logStart) {
        Map<Integer, Long> reached = new HashMap<>(logStart);
        committed.forEach((partition, offset) -> reached.merge(partition, offset, Math::max));
        return reached;
    }

    private AtomicLong lagOf(int partition) {
        return lag.computeIfAbsent(partition, p -> {
            AtomicLong records = new AtomicLong();
            Gauge.builder("playbill.ledger.intake.lag", records, AtomicLong::get)
                    .description("Requests on the partition the ledger has not decided and committed yet")
                    .baseUnit("records")
                    .tag("partition", Integer.toString(p))
                    .register(meters);
            return records;
        });
    }

    /** Each partition's latest (end) or earliest (log start) offset. */
    private Map<Integer, Long> offsets(OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (partitions == null) {
            partitions = admin.describeTopics(List.of(LedgerTopics.REQUESTS)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(LedgerTopics.REQUESTS).partitions()
                    .stream().map(info -> new TopicPartition(LedgerTopics.REQUESTS, info.partition())).toList();
        }
        Map<TopicPartition, OffsetSpec> asked = partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets = admin.listOffsets(asked).all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<Integer, Long> byPartition = new HashMap<>();
        offsets.forEach((partition, info) -> byPartition.put(partition.partition(), info.offset()));
        return byPartition;
    }

    private Map<Integer, Long> committedOffsets() throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<Integer, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (partition.topic().equals(LedgerTopics.REQUESTS) && offset != null) {
                committed.put(partition.partition(), offset.offset());
            }
        });
        return committed;
    }

    @Override
    public void close() {
        admin.close(ADMIN_TIMEOUT);
    }

    /** The request topic's end offset per partition at one moment. */
    record Sample(long atMillis, Map<Integer, Long> endOffsets) {
    }
}
