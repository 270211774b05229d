package io.playbill.query.statement;

import io.playbill.query.projection.Jdbc;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import io.playbill.query.web.Times;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

@Component
class StatementReads {

    private static final RowMapper<StatementLineView> VIEW = (rs, row) -> new StatementLineView(rs.getLong("seq"),
            Jdbc.instant(rs, "occurred_at"), rs.getString("kind"), rs.getLong("amount"), rs.getLong("balance_after"),
            rs.getString("reference"), rs.getString("reason"), rs.getString("session_id"), rs.getString("queue"),
            Jdbc.nullableLong(rs, "seconds"), rs.getString("event_id"));

    private final JdbcTemplate jdbc;

    StatementReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A user's lines with {@code from <= occurredAt < to}, oldest first (ties in account order). */
    Page<StatementLineView> lines(String userId, Times.Range range, PageRequest page) {
        OffsetDateTime from = utc(range.from());
        OffsetDateTime to = utc(range.to());
        List<StatementLineView> items = jdbc.query("select * from statement_line where user_id = ?"
                + " and occurred_at >= ? and occurred_at < ? order by occurred_at, seq limit ? offset ?", VIEW,
                userId, from, to, page.size(), page.offset());
        Long total = jdbc.queryForObject("select count(*) from statement_line where user_id = ?"
                + " and occurred_at >= ? and occurred_at < ?", Long.class, userId, from, to);
        return Page.of(items, page, total == null ? 0 : total, StatementLineView.class);
    }

    /**
     * Up to {@code size} of a user's lines with {@code from <= occurredAt < to}, oldest first or newest first, after
     * {@code after} (null: from the first) in that order: one range of the index on
     * {@code (user_id, occurred_at, seq)} read until the limit, and no count. One line more than asked is read to
     * tell whether there is a next answer.
     */
    StatementSlice slice(String userId, Times.Range range, boolean descending, StatementCursor after, int size) {
        String beyond = after == null ? "" : " and (occurred_at, seq) " + (descending ? "<" : ">") + " (?, ?)";
        String sql = "select * from statement_line where user_id = ? and occurred_at >= ? and occurred_at < ?"
                + beyond + " order by " + (descending ? "occurred_at desc, seq desc" : "occurred_at, seq") + " limit ?";
        List<Object> args = new ArrayList<>(List.of(userId, utc(range.from()), utc(range.to())));
        if (after != null) {
            args.add(utc(after.occurredAt()));
            args.add(after.sequence());
        }
        args.add(size + 1);
        List<StatementLineView> lines = jdbc.query(sql, VIEW, args.toArray());
        if (lines.size() <= size) {
            return new StatementSlice(lines, size, null);
        }
        List<StatementLineView> items = lines.subList(0, size);
        return new StatementSlice(items, size, StatementCursor.after(items.get(size - 1), descending).encode());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
