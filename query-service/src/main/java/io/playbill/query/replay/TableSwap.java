package io.playbill.query.replay;

import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.TrackingPositions;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DDL of a replay. {@link #prepare} creates empty shadow copies ({@code <table>_replay}, same columns, keys and
 * indexes). {@link #swap} puts the rebuilt copies in place in one transaction: readers see either all old tables or
 * all new ones.
 */
@Component
class TableSwap {

    private final JdbcTemplate jdbc;
    private final ReplayStore replays;
    private final LedgerTopic topic;
    private final Serializer serializer;
    private final Clock clock;

    TableSwap(JdbcTemplate jdbc, ReplayStore replays, LedgerTopic topic,
              @Qualifier("serializer") Serializer serializer, Clock clock) {
        this.jdbc = jdbc;
        this.replays = replays;
        this.topic = topic;
        this.serializer = serializer;
        this.clock = clock;
    }

    @Transactional
    void prepare(Projection projection) {
        for (String table : projection.tables()) {
            String shadow = ProjectionTables.REPLAY.of(table);
            jdbc.execute("drop table if exists " + shadow);
            jdbc.execute("create table " + shadow + " (like " + table + " including all)");
        }
    }

    /**
     * Replaces the live tables by the shadow ones, then restarts the live processor from the lower of its own and
     * the rebuild's position per partition: the rebuilt tables miss nothing after the rebuild's position and the
     * other projections nothing after the live one, and every projector ignores events it has already applied.
     *
     * <p>Locks in the order the live processor takes them (its token row, then its tables), so the two never
     * deadlock: a live batch in flight finishes first; the next one finds its token row replaced, rolls back, and
     * the processor claims the new token and goes on from there on the new tables.
     *
     * @return false when the replay was not waiting for its swap (another instance did it)
     */
    @Transactional
    boolean swap(Projection projection) {
        // Short: while the swap waits for a table, new readers of that table queue behind it.
        jdbc.execute("set local lock_timeout = '2s'");
        ReplayState state = replays.lock(projection.id()).orElse(null);
        if (state == null || !ReplayState.SWAPPING.equals(state.status())) {
            return false;
        }
        Map<TopicPartition, Long> live = new HashMap<>();
        jdbc.query("select token, token_type from token_entry where processor_name = ? for update", rs -> {
            if (rs.getBytes("token") != null) {
                live.putAll(TrackingPositions.of(serializer.deserialize(new SimpleSerializedObject<>(
                        rs.getBytes("token"), byte[].class, rs.getString("token_type"), null))));
            }
        }, Projection.LIVE_PROCESSOR);
        List<String> locked = new ArrayList<>();
        for (String table : projection.tables()) {
            locked.add(table);
            locked.add(ProjectionTables.REPLAY.of(table));
        }
        jdbc.execute("lock table " + String.join(", ", locked) + " in access exclusive mode");
        for (String table : projection.tables()) {
            jdbc.execute("drop table " + table);
            jdbc.execute("alter table " + ProjectionTables.REPLAY.of(table) + " rename to " + table);
            restoreIndexNames(table);
        }
        KafkaTrackingToken restart = KafkaTrackingToken.newInstance(TrackingPositions.lower(live,
                lastRebuilt(state)));
        SerializedObject<byte[]> token = serializer.serialize(restart, byte[].class);
        jdbc.update("delete from token_entry where processor_name = ?", Projection.LIVE_PROCESSOR);
        jdbc.update("insert into token_entry (processor_name, segment, owner, timestamp, token, token_type)"
                        + " values (?, 0, null, ?, ?, ?)", Projection.LIVE_PROCESSOR, clock.instant().toString(),
                token.getData(), token.getType().getName());
        replays.finish(projection.id(), ReplayState.COMPLETED, null, clock.instant());
        return true;
    }

    /** Per partition the offset of the last record the rebuild applied (a partition it read nothing from is left out). */
    private Map<TopicPartition, Long> lastRebuilt(ReplayState state) {
        Map<TopicPartition, Long> last = new HashMap<>();
        state.positions().forEach((partition, next) -> {
            if (next > state.startOffsets().getOrDefault(partition, 0L)) {
                last.put(new TopicPartition(topic.name(), partition), next - 1);
            }
        });
        return last;
    }

    /** {@code account_replay_pkey} becomes {@code account_pkey} again, so names never drift over replays. */
    private void restoreIndexNames(String table) {
        String shadow = ProjectionTables.REPLAY.of(table);
        List<String> names = jdbc.queryForList("select indexname from pg_indexes"
                + " where schemaname = current_schema() and tablename = ?", String.class, table);
        for (String name : names) {
            if (name.startsWith(shadow)) {
                jdbc.execute("alter index \"" + name + "\" rename to \"" + table + name.substring(shadow.length())
                        + "\"");
            }
        }
    }
}
