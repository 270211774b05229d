package io.playbill.query.session;

import io.playbill.query.projection.Jdbc;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class SessionReads {

    private static final RowMapper<SessionView> VIEW = (rs, row) -> new SessionView(rs.getString("user_id"),
            rs.getString("session_id"), rs.getString("queue"), rs.getString("status"), rs.getString("billing_mode"),
            Jdbc.instant(rs, "authorized_at"), Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "first_renew_at"),
            Jdbc.instant(rs, "ended_at"), rs.getString("end_reason"), rs.getLong("billed_seconds"),
            rs.getLong("charged_amount"), rs.getLong("deadline_seconds"), rs.getLong("price_per_minute"));

    private final JdbcTemplate jdbc;

    SessionReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A user's sessions, newest first. */
    Page<SessionView> history(String userId, PageRequest page) {
        List<SessionView> items = jdbc.query("select * from game_session where user_id = ?"
                        + " order by authorized_at desc, session_id desc limit ? offset ?", VIEW, userId, page.size(),
                page.offset());
        Long total = jdbc.queryForObject("select count(*) from game_session where user_id = ?", Long.class, userId);
        return Page.of(items, page, total == null ? 0 : total, SessionView.class);
    }

    /** Every session that is not over, oldest first; optionally on one queue. */
    Page<SessionView> active(String queue, PageRequest page) {
        String filter = queue == null ? "" : " and queue = ?";
        Object[] args = queue == null ? new Object[]{page.size(), page.offset()}
                : new Object[]{queue, page.size(), page.offset()};
        List<SessionView> items = jdbc.query("select * from game_session where status <> 'ended'" + filter
                + " order by authorized_at, user_id, session_id limit ? offset ?", VIEW, args);
        Long total = queue == null
                ? jdbc.queryForObject("select count(*) from game_session where status <> 'ended'", Long.class)
                : jdbc.queryForObject("select count(*) from game_session where status <> 'ended' and queue = ?",
                Long.class, queue);
        return Page.of(items, page, total == null ? 0 : total, SessionView.class);
    }
}
