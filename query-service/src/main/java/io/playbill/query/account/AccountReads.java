package io.playbill.query.account;

import io.playbill.query.projection.Jdbc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

@Component
class AccountReads {

    private final JdbcTemplate jdbc;

    AccountReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    AccountView account(String userId) {
        List<AccountView.QueuePlaytime> queues = jdbc.query(
                "select queue, playtime_seconds from account_queue where user_id = ? order by queue",
                (rs, row) -> new AccountView.QueuePlaytime(rs.getString(1), rs.getLong(2)), userId);
        return jdbc.query("select balance, playtime_seconds, active_sessions, opened_at from account where user_id = ?",
                        (rs, row) -> new AccountView(userId, rs.getLong("balance"), rs.getLong("playtime_seconds"),
                                rs.getInt("active_sessions"), queues, Jdbc.instant(rs, "opened_at")), userId)
                .stream().findFirst()
                .orElseGet(() -> new AccountView(userId, 0, 0, 0, List.of(), null));
    }
}
