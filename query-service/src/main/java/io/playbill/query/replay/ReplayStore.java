package io.playbill.query.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.ParkedEvents;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.StoredText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code projection_replay} rows: what every instance knows about replays, whichever instance runs them. */
@Component
class ReplayStore {

    private static final TypeReference<Map<Integer, Long>> OFFSETS = new TypeReference<>() {
    };
    /** A finished replay's events per second over its whole run, from its end (bound twice). */
    private static final String AVERAGE_RATE = "case when extract(epoch from (? - started_at)) > 0"
            + " then events_done / extract(epoch from (? - started_at)) else events_per_second end";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ParkedEvents parked;
    private final RowMapper<ReplayState> mapper;

    ReplayStore(JdbcTemplate jdbc, ObjectMapper json, ParkedEvents parked) {
        this.jdbc = jdbc;
        this.json = json;
        this.parked = parked;
        this.mapper = (rs, row) -> new ReplayState(rs.getString("projection"), rs.getString("status"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"), rs.getLong("events_total"),
                rs.getLong("events_done"), rs.getDouble("events_per_second"), offsets(rs.getString("start_offsets")),
                offsets(rs.getString("target_offsets")), offsets(rs.getString("positions")), rs.getString("owner"),
                Jdbc.instant(rs, "claimed_until"), rs.getString("error"));
    }

    Optional<ReplayState> find(String projection) {
        return jdbc.query("select * from projection_replay where projection = ?", mapper, projection).stream()
                .findFirst();
    }

    /** The row, locked until the surrounding transaction ends. */
    Optional<ReplayState> lock(String projection) {
        return jdbc.query("select * from projection_replay where projection = ? for update", mapper, projection)
                .stream().findFirst();
    }

    List<ReplayState> unfinished() {
        return jdbc.query("select * from projection_replay where status in (?, ?)", mapper, ReplayState.RUNNING,
                ReplayState.SWAPPING);
    }

    /**
     * A new replay from {@code start}, claimed by {@code owner}; false (and nothing changes) while a replay of the
     * projection is unfinished. One statement: PostgreSQL decides between two instances starting at once.
     */
    boolean start(String projection, Instant at, Map<Integer, Long> start, Map<Integer, Long> target, long total,
               String owner, Instant claimedUntil) {
        return jdbc.update("""
                insert into projection_replay (projection, status, started_at, finished_at, events_total, events_done,
                    events_per_second, start_offsets, target_offsets, positions, owner, claimed_until, error,
                    updated_at)
                values (?, ?, ?, null, ?, 0, 0, ?, ?, ?, ?, ?, null, ?)
                on conflict (projection) do update set status = excluded.status, started_at = excluded.started_at,
                    finished_at = null, events_total = excluded.events_total, events_done = 0, events_per_second = 0,
                    start_offsets = excluded.start_offsets, target_offsets = excluded.target_offsets,
                    positions = excluded.positions, owner = excluded.owner, claimed_until = excluded.claimed_until,
                    error = null, updated_at = excluded.updated_at
                where projection_replay.status not in (?, ?)
                """, projection, ReplayState.RUNNING, utc(at), total, text(start), text(target), text(start), owner,
                utc(claimedUntil), utc(at), ReplayState.RUNNING, ReplayState.SWAPPING) == 1;
    }

    /** Takes a running replay whose claim is free or expired (or already ours); true if {@code owner} has it now. */
    boolean claim(String projection, String owner, Instant now, Instant until) {
        return jdbc.update("update projection_replay set owner = ?, claimed_until = ? where projection = ?"
                        + " and status = ? and (owner is null or owner = ? or claimed_until < ?)", owner, utc(until),
                projection, ReplayState.RUNNING, owner, utc(now)) == 1;
    }

    /**
     * Records a rebuilt batch's position and renews the claim, in the batch's transaction; false (and nothing
     * changes) if {@code owner} no longer holds the replay.
     */
    boolean advance(String projection, String owner, Map<Integer, Long> positions, long done, Instant now,
                    Instant until) {
        return jdbc.update("update projection_replay set positions = ?, events_done = ?, claimed_until = ?,"
                        + " updated_at = ? where projection = ? and owner = ? and status = ?", text(positions), done,
                utc(until), utc(now), projection, owner, ReplayState.RUNNING) == 1;
    }

    void rate(String projection, double eventsPerSecond) {
        jdbc.update("update projection_replay set events_per_second = ? where projection = ? and status = ?",
                eventsPerSecond, projection, ReplayState.RUNNING);
    }

    /**
     * The rebuilt replay waits for its swap now; false (and nothing changes) unless {@code owner} still holds it
     * running: a runner that lost its claim to another instance must not swap that instance's half-built tables in.
     */
    boolean swapping(String projection, String owner, Instant at) {
        return jdbc.update("update projection_replay set status = ?, owner = null, updated_at = ? where projection = ?"
                + " and status = ? and owner = ?", ReplayState.SWAPPING, utc(at), projection, ReplayState.RUNNING,
                owner) == 1;
    }

    /** A replay waiting for its swap has caught its shadow tables up to {@code positions} (its next offsets). */
    void followed(String projection, Map<Integer, Long> positions, Instant at) {
        jdbc.update("update projection_replay set positions = ?, updated_at = ? where projection = ? and status = ?",
                text(positions), utc(at), projection, ReplayState.SWAPPING);
    }

    void finish(String projection, String status, String error, Instant at) {
        jdbc.update("update projection_replay set status = ?, error = ?, finished_at = ?, updated_at = ?,"
                        + " owner = null, events_per_second = " + AVERAGE_RATE + " where projection = ?", status,
                StoredText.clean(error), utc(at), utc(at), utc(at), utc(at), projection);
    }

    /**
     * The replay failed: its shadow tables will never be swapped in, so what it parked for them goes too. Left, those
     * rows kept the health DEGRADED and answered every retry 409 {@code parked_by_replay} until the next replay.
     */
    @Transactional
    void fail(Projection projection, String owner, String error, Instant at) {
        // Only by the instance holding it: a runner that lost its claim in a long outage must not fail (and clear)
        // the replay another instance took over.
        failIf(projection, error, at, " and owner = ? and status = ?", owner, ReplayState.RUNNING);
    }

    /** The replay waiting for its swap can never be swapped in: failed, and what it parked for its tables goes too. */
    @Transactional
    void failSwap(Projection projection, String error, Instant at) {
        failIf(projection, error, at, " and status = ?", ReplayState.SWAPPING);
    }

    /** Marks the replay failed if it still matches {@code condition}, and drops what it parked for its tables. */
    private void failIf(Projection projection, String error, Instant at, String condition, Object... conditionArgs) {
        List<Object> args = new ArrayList<>(Arrays.asList(ReplayState.FAILED, StoredText.clean(error), utc(at), utc(at),
                utc(at), utc(at), projection.id()));
        args.addAll(Arrays.asList(conditionArgs));
        if (jdbc.update("update projection_replay set status = ?, error = ?, finished_at = ?, updated_at = ?,"
                + " owner = null, events_per_second = " + AVERAGE_RATE + " where projection = ?" + condition,
                args.toArray()) == 1) {
            parked.clearReplay(projection);
        }
    }

    private Map<Integer, Long> offsets(String text) {
        try {
            return json.readValue(text, OFFSETS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable offsets in projection_replay: " + text, e);
        }
    }

    private String text(Map<Integer, Long> offsets) {
        try {
            return json.writeValueAsString(offsets);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write offsets", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
