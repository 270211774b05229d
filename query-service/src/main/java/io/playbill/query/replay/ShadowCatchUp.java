package io.playbill.query.replay;

import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.PoisonGuard;
import io.playbill.query.projection.Projector;
import io.playbill.query.projection.RecordPosition;
import io.playbill.query.projection.ProjectorFactory;
import io.playbill.query.projection.TopicRecords;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings a rebuild's shadow tables up to a position: applies the records between where the rebuild stopped and
 * that position, in the caller's transaction. The swap uses it to give the rebuilt tables exactly what the live
 * processor has applied, so the live processor goes on from its own position over the new tables.
 */
@Component
class ShadowCatchUp {

    private static final Duration STALL_LIMIT = Duration.ofSeconds(30);
    /** Records decoded and held at once: a catch-up after a long replay covers everything the live processor did. */
    private static final int CHUNK = 5_000;

    private final Map<Projection, Projector> shadows = new EnumMap<>(Projection.class);
    private final LedgerTopic topic;
    private final TopicRecords records;
    private final PoisonGuard guard;

    ShadowCatchUp(List<ProjectorFactory> factories, LedgerTopic topic, TopicRecords records, PoisonGuard guard) {
        factories.forEach(factory -> shadows.put(factory.projection(), factory.create(ProjectionTables.REPLAY)));
        this.topic = topic;
        this.records = records;
        this.guard = guard;
    }

    /**
     * Applies, per partition, the records from {@code next} (the rebuild's next offset) up to and including
     * {@code upTo} (the last offset the live processor applied); returns how many.
     */
    long apply(Projection projection, Map<Integer, Long> next, Map<TopicPartition, Long> upTo) {
        Map<TopicPartition, Long> from = new HashMap<>();
        upTo.forEach((partition, last) -> {
            long first = next.getOrDefault(partition.partition(), 0L);
            if (first <= last) {
                from.put(partition, first);
            }
        });
        if (from.isEmpty()) {
            return 0;
        }
        List<LedgerEvent> missing = new ArrayList<>();
        Map<String, RecordPosition> positions = new HashMap<>();
        long applied = 0;
        try (Consumer<String, byte[]> consumer = topic.newConsumer("catch-up-" + projection.id())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> open = new HashMap<>(upTo);
            open.keySet().retainAll(from.keySet());
            long lastProgress = System.nanoTime();
            while (!open.isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    lastProgress = System.nanoTime();
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Long last = open.get(partition);
                    if (last != null && record.offset() <= last) {
                        records.decodeOrMark(record).ifPresent(event -> {
                            missing.add(event);
                            positions.put(event.eventId(), new RecordPosition(record.partition(), record.offset()));
                        });
                    }
                    if (missing.size() >= CHUNK) {
                        applied += applyChunk(projection, missing, positions);
                        lastProgress = System.nanoTime(); // applying is progress too, however long it took
                    }
                    if (last != null && record.offset() >= last) {
                        open.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
                if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
                    throw new IllegalStateException("Catching up the rebuilt " + projection.id()
                            + " tables stalled on " + open.keySet());
                }
            }
        }
        return applied + applyChunk(projection, missing, positions);
    }

    private long applyChunk(Projection projection, List<LedgerEvent> missing, Map<String, RecordPosition> positions) {
        int count = missing.size();
        if (count > 0) {
            guard.apply(projection, true, shadows.get(projection), List.copyOf(missing), Map.copyOf(positions));
            missing.clear();
            positions.clear();
        }
        return count;
    }
}
