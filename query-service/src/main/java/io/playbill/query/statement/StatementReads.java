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

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
