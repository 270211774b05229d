package io.playbill.query.replay;

import io.playbill.query.projection.ParkedEvents;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.TrackingPositions;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
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

    private static final Logger log = LoggerFactory.getLogger(TableSwap.class);

    private final JdbcTemplate jdbc;
    private final ReplayStore replays;
    private final ShadowCatchUp catchUp;
    private final ParkedEvents parked;
    private final Serializer serializer;
    private final Clock clock;

    TableSwap(JdbcTemplate jdbc, ReplayStore replays, ShadowCatchUp catchUp, ParkedEvents parked,
              @Qualifier("serializer") Serializer serializer, Clock clock) {
        this.jdbc = jdbc;
        this.replays = replays;
        this.catchUp = catchUp;
        this.parked = parked;
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
        parked.clearReplay(projection);
    }

    /**
     * Brings the shadow tables of a replay waiting for its swap up to where the live processor stands now, and keeps
     * that position, without holding the live processor (its token row is read, not locked). The {@link #swap} that
     * follows then catches up, under the live processor's lock, only what it applied since: a swap that keeps meeting
     * a locked table (a long report, a backup) holds the live processor for that short step each time, instead of
     * catching up and holding ever more, from where the rebuild stopped, at every attempt.
     *
     * @return the events caught up
     */
    @Transactional
    long followLive(Projection projection) {
        ReplayState state = replays.lock(projection.id()).orElse(null);
        if (state == null || !ReplayState.SWAPPING.equals(state.status())) {
            return 0;
        }
        Map<TopicPartition, Long> live = livePositions("");
        long caughtUp = catchUp.apply(projection, state.positions(), live);
        Map<Integer, Long> next = new HashMap<>(state.positions());
        live.forEach((partition, last) -> next.merge(partition.partition(), last + 1, Math::max));
        replays.followed(projection.id(), next, clock.instant());
        return caughtUp;
    }

    /**
     * Replaces the live tables by the shadow ones without moving the live processor: it locks the live processor's
     * token row first (a live batch in flight finishes first; the next one waits for this transaction), so the live
     * processor stands at the position it last committed; brings the shadow tables up to exactly that position
     * ({@link ShadowCatchUp}); then swaps the tables. The live processor then goes on from its own position over
     * the new tables. A rebuild ahead of the live processor on some partition is harmless: every projector ignores
     * events it has already applied. Locks come in the live processor's own order (token row, then tables), so the
     * two never deadlock.
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
        requireSameShape(projection);
        Map<TopicPartition, Long> live = livePositions(" for update");
        long caughtUp = catchUp.apply(projection, state.positions(), live);
        List<String> locked = new ArrayList<>();
        for (String table : projection.tables()) {
            locked.add(table);
            locked.add(ProjectionTables.REPLAY.of(table));
        }
        jdbc.execute("lock table " + String.join(", ", locked) + " in access exclusive mode");
        requireSameShape(projection); // held now: no migration gets between this check and the swap
        for (String table : projection.tables()) {
            jdbc.execute("drop table " + table);
            jdbc.execute("alter table " + ProjectionTables.REPLAY.of(table) + " rename to " + table);
            restoreIndexNames(table);
        }
        // What the rebuild could not apply is now what the live tables lack: its parked events become the live ones.
        parked.promoteReplay(projection);
        replays.finish(projection.id(), ReplayState.COMPLETED, null, clock.instant());
        log.info("Replay of {} completed: the rebuilt tables are live ({} events caught up at the swap)",
                projection.id(), caughtUp);
        return true;
    }

    /**
     * The shadow tables were made {@code like} the live ones when the replay started. A migration of a live table
     * since (an instance of a newer version starting during the replay) would be undone by the swap, which drops the
     * migrated table and puts the old shape in its place; the other way round, code expecting the old shape would
     * meet the new one. Either way the replay cannot be swapped in: it must be started again.
     */
    private void requireSameShape(Projection projection) {
        for (String table : projection.tables()) {
            String shadow = ProjectionTables.REPLAY.of(table);
            if (!shapeOf(table).equals(shapeOf(shadow))) {
                throw new ShapeChanged("Table " + table + " no longer has the shape of " + shadow
                        + ", made like it when the replay started (a migration ran since): start the replay again");
            }
        }
    }

    /**
     * The table's columns (name, type with its length or precision, nullability, default), indexes and constraints
     * (their definitions, without names). Foreign keys are left out: {@code like} never copies them.
     */
    private List<String> shapeOf(String table) {
        List<String> shape = new ArrayList<>(jdbc.queryForList("select a.attname || ' ' || format_type(a.atttypid,"
                + " a.atttypmod) || case when a.attnotnull then ' not null' else '' end || ' '"
                + " || coalesce(pg_get_expr(d.adbin, d.adrelid), '') from pg_attribute a left join pg_attrdef d"
                + " on d.adrelid = a.attrelid and d.adnum = a.attnum"
                + " where a.attrelid = to_regclass(?) and a.attnum > 0 and not a.attisdropped", String.class, table));
        shape.addAll(jdbc.queryForList("select regexp_replace(indexdef, 'INDEX \\S+ ON \\S+', 'INDEX ON')"
                + " from pg_indexes where schemaname = current_schema() and tablename = ?", String.class, table));
        // LIKE copies a NOT VALID check as valid: the live table's would differ by that suffix alone.
        shape.addAll(jdbc.queryForList("select contype::text || ' ' || regexp_replace(pg_get_constraintdef(oid),"
                + " ' NOT VALID$', '') from pg_constraint where conrelid = to_regclass(?) and contype <> 'f'",
                String.class, table));
        Collections.sort(shape);
        return shape;
    }

    /** The live and the rebuilt tables differ in shape: the replay can never be swapped in. */
    static final class ShapeChanged extends RuntimeException {
        ShapeChanged(String message) {
            super(message);
        }
    }

    /** The last offset the live processor applied, per partition; {@code lock} " for update" or "". */
    private Map<TopicPartition, Long> livePositions(String lock) {
        Map<TopicPartition, Long> live = new HashMap<>();
        jdbc.query("select token, token_type from token_entry where processor_name = ?" + lock, rs -> {
            if (rs.getBytes("token") != null) {
                live.putAll(TrackingPositions.of(serializer.deserialize(new SimpleSerializedObject<>(
                        rs.getBytes("token"), byte[].class, rs.getString("token_type"), null))));
            }
        }, Projection.LIVE_PROCESSOR);
        return live;
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
