package io.playbill.query.projection;

import org.apache.kafka.common.TopicPartition;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a processor is on the topic: the offset of the last record it processed per partition, read from its
 * token (stored or in memory). A replaying processor's token may wrap the Kafka token; its lower bound is the
 * position.
 */
public final class TrackingPositions {

    private TrackingPositions() {
    }

    /** Partition → offset of the last processed record; empty for a processor that processed nothing. */
    public static Map<TopicPartition, Long> of(TrackingToken token) {
        if (token == null) {
            return Map.of();
        }
        TrackingToken position = WrappedToken.unwrapLowerBound(token);
        if (position instanceof KafkaTrackingToken kafka) {
            return Map.copyOf(kafka.getPositions());
        }
        return Map.of();
    }

    /** The positions stored for {@code processor} in {@code token_entry}, over all its segments. */
    public static Map<TopicPartition, Long> stored(JdbcTemplate jdbc, Serializer serializer, String processor) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        jdbc.query("select token, token_type from token_entry where processor_name = ? and token is not null",
                rs -> {
                    TrackingToken token = serializer.deserialize(new SimpleSerializedObject<>(rs.getBytes(1),
                            byte[].class, rs.getString(2), null));
                    of(token).forEach((partition, offset) -> positions.merge(partition, offset, Math::max));
                }, processor);
        return positions;
    }

    /** Records processed: per partition, up to and including the position, from the partition's first offset. */
    public static long processed(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> beginning) {
        long done = 0;
        for (Map.Entry<TopicPartition, Long> start : beginning.entrySet()) {
            Long position = positions.get(start.getKey());
            if (position != null) {
                done += Math.max(0, position + 1 - start.getValue());
            }
        }
        return done;
    }

    /** Whether {@code positions} reach every record before {@code end} (next offsets per partition). */
    public static boolean reached(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> beginning,
                                  Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> target : end.entrySet()) {
            long first = beginning.getOrDefault(target.getKey(), 0L);
            if (target.getValue() > first && positions.getOrDefault(target.getKey(), -1L) < target.getValue() - 1) {
                return false;
            }
        }
        return true;
    }
}
