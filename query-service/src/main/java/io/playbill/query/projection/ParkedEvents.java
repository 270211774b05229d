package io.playbill.query.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code parked_event} table: what the projections could not apply, shared by every instance. It is also the
 * set of parked users: a user with a row for a projection gets none of their events from the first parked one on
 * applied to that projection until an operator retries or skips (they wait in the table, {@link #parkedFrom}); the
 * user's earlier events are applied as usual. Every call runs in the caller's transaction.
 */
@Component
public class ParkedEvents {

    /** The {@code event_type} of a record without a type header. */
    static final String NO_TYPE = "(no type)";
    private static final int TYPE_COLUMN_LENGTH = 255;
    private static final String COLUMNS = "id, projection, replay, user_id, event_id, seq, event_type, payload,"
            + " occurred_at, topic_partition, topic_offset, status, error, attempts, parked_at";
    private static final RowMapper<ParkedEvent> ROWS = (rs, i) -> new ParkedEvent(rs.getLong("id"),
            rs.getString("projection"), rs.getBoolean("replay"), rs.getString("user_id"), rs.getString("event_id"),
            rs.getLong("seq"), rs.getString("event_type"), rs.getString("payload"), Jdbc.instant(rs, "occurred_at"),
            (Integer) rs.getObject("topic_partition"), Jdbc.nullableLong(rs, "topic_offset"), rs.getString("status"),
            rs.getString("error"), rs.getInt("attempts"), Jdbc.instant(rs, "parked_at"));

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TopicRecords records;
    private final LedgerTopic topic;
    private final Clock clock;

    ParkedEvents(JdbcTemplate jdbc, ObjectMapper json, TopicRecords records, LedgerTopic topic, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.records = records;
        this.topic = topic;
        this.clock = clock;
    }

    /**
     * The users with parked events of {@code projection} (in a replay's shadow tables when {@code replay}), each with
     * the sequence of their first parked or waiting event: their events from it on wait, the ones before it do not.
     */
    public Map<String, Long> parkedFrom(Projection projection, boolean replay) {
        Map<String, Long> from = new HashMap<>();
        jdbc.query("select user_id, min(seq) as first from parked_event where projection = ? and replay = ?"
                + " group by user_id", rs -> {
                    from.put(rs.getString("user_id"), rs.getLong("first"));
                }, projection.id(), replay);
        return from;
    }

    /** Adds {@code event}; nothing when it is parked already (a batch seen again after a restart). */
    public void park(Projection projection, boolean replay, LedgerEvent event, RecordPosition position,
                     String status, String error, int attempts) {
        jdbc.update("insert into parked_event (projection, replay, user_id, event_id, seq, event_type, payload,"
                        + " occurred_at, topic_partition, topic_offset, status, error, attempts, parked_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (projection, replay, event_id) do nothing",
                ps -> {
                    ps.setString(1, projection.id());
                    ps.setBoolean(2, replay);
                    ps.setString(3, event.aggregateId());
                    ps.setString(4, event.eventId());
                    ps.setLong(5, event.sequence());
                    ps.setString(6, typeOf(event.payload()));
                    Jdbc.setText(ps, 7, toJson(event.payload()));
                    Jdbc.setInstant(ps, 8, event.timestamp());
                    if (position == null) {
                        ps.setNull(9, java.sql.Types.INTEGER);
                        ps.setNull(10, java.sql.Types.BIGINT);
                    } else {
                        ps.setInt(9, position.partition());
                        ps.setLong(10, position.offset());
                    }
                    ps.setString(11, status);
                    ps.setString(12, error);
                    ps.setInt(13, attempts);
                    Jdbc.setInstant(ps, 14, clock.instant());
                });
    }

    /** The parked events of one user and projection, in the order they are to be applied, locked. */
    public List<ParkedEvent> ofUser(String projection, boolean replay, String userId) {
        return ofUser(projection, replay, userId, Integer.MAX_VALUE);
    }

    /** The first {@code limit} parked events of one user and projection, in order, read without a lock. */
    public List<ParkedEvent> firstOfUser(String projection, boolean replay, String userId, int limit) {
        return jdbc.query("select " + COLUMNS + " from parked_event where projection = ? and replay = ?"
                + " and user_id = ? order by seq limit ?", ROWS, projection, replay, userId, limit);
    }

    /** The first {@code limit} of {@link #ofUser(String, boolean, String)}. */
    public List<ParkedEvent> ofUser(String projection, boolean replay, String userId, int limit) {
        return jdbc.query("select " + COLUMNS + " from parked_event where projection = ? and replay = ?"
                + " and user_id = ? order by seq limit ? for update", ROWS, projection, replay, userId, limit);
    }

    public Optional<ParkedEvent> find(long id) {
        return jdbc.query("select " + COLUMNS + " from parked_event where id = ?", ROWS, id).stream().findFirst();
    }

    /** Newest first; {@code projection} null for all. */
    public List<ParkedEvent> list(String projection, long offset, int limit) {
        return jdbc.query("select " + COLUMNS + " from parked_event where (?::text is null or projection = ?)"
                + " order by id desc offset ? limit ?", ROWS, projection, projection, offset, limit);
    }

    public long count(String projection) {
        Long count = jdbc.queryForObject("select count(*) from parked_event where (?::text is null or projection = ?)",
                Long.class, projection, projection);
        return count == null ? 0 : count;
    }

    /** Rows per projection (replays' included), every projection present. */
    public Map<Projection, Long> counts() {
        Map<Projection, Long> counts = new EnumMap<>(Projection.class);
        for (Projection projection : Projection.values()) {
            counts.put(projection, 0L);
        }
        jdbc.query("select projection, count(*) as parked from parked_event group by projection", rs -> {
            Optional<Projection> projection = Projection.byId(rs.getString("projection"));
            if (projection.isPresent()) {
                counts.put(projection.get(), rs.getLong("parked"));
            }
        });
        return counts;
    }

    public void delete(long id) {
        jdbc.update("delete from parked_event where id = ?", id);
    }

    /** A retry failed again: the event is the user's parked one now, with the new error. */
    public void failedAgain(long id, String error) {
        jdbc.update("update parked_event set status = ?, error = ?, attempts = attempts + 1 where id = ?",
                ParkedEvent.PARKED, error, id);
    }

    /** A replay starts afresh: what an earlier replay of the projection parked is gone with its tables. */
    public void clearReplay(Projection projection) {
        jdbc.update("delete from parked_event where projection = ? and replay", projection.id());
    }

    /**
     * The replay's tables become the live ones: what it parked is what the live tables now lack, and what the old
     * live tables lacked is in the new ones, or parked by the replay again.
     */
    public void promoteReplay(Projection projection) {
        jdbc.update("delete from parked_event where projection = ? and not replay", projection.id());
        jdbc.update("update parked_event set replay = false where projection = ? and replay", projection.id());
    }

    /**
     * The event of a row, decoded again from its stored JSON, or from its record on the topic when it could not be
     * decoded before (a new build may read it now).
     */
    public LedgerEvent eventOf(ParkedEvent row) {
        if (row.payload() == null) {
            if (row.partition() == null || row.offset() == null) {
                throw new IllegalStateException("Event " + row.eventId() + " was never decoded and its record's"
                        + " position is not known");
            }
            return topic.read(row.partition(), row.offset()).map(records::decode).orElseThrow(() ->
                    new IllegalStateException("The record of event " + row.eventId() + " is no longer on the topic"));
        }
        try {
            return new LedgerEvent(row.eventId(), row.userId(), row.sequence(), row.occurredAt(),
                    records.readPayload(row.eventType(), row.payload()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot decode parked event " + row.eventId(), e);
        }
    }

    /**
     * What {@code event_type} (not null, 255 characters) holds: a record whose type header is missing or empty, or
     * longer than the column, is parked all the same, for a failed insert would stop the reader at that record.
     */
    static String typeOf(Object payload) {
        String type = payload instanceof TopicRecords.Unknown unknown ? unknown.type()
                : payload instanceof TopicRecords.Undecodable undecodable ? undecodable.type()
                : payload == null ? null : payload.getClass().getName();
        if (type == null || type.isBlank()) {
            return NO_TYPE;
        }
        return type.codePointCount(0, type.length()) <= TYPE_COLUMN_LENGTH ? type
                : type.substring(0, type.offsetByCodePoints(0, TYPE_COLUMN_LENGTH));
    }

    private String toJson(Object payload) {
        if (payload instanceof TopicRecords.Unknown || payload instanceof TopicRecords.Undecodable) {
            return null;
        }
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
