package io.playbill.query.account;

import io.playbill.query.projection.Jdbc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Component
class AccountReads {

    private final JdbcTemplate jdbc;

    AccountReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The account row and its playtime per queue in one statement, so from one snapshot: read apart, a commit of the
     * live processor between the two reads gave queues that did not add up to the total. The tables are named in
     * the order a replay's swap locks them ({@code Projection.ACCOUNTS}), so the two never wait for each other.
     */
    AccountView account(String userId) {
        return jdbc.query("select a.balance, a.playtime_seconds, a.active_sessions, a.opened_at, q.queue,"
                + " q.playtime_seconds as queue_seconds from account a left join account_queue q"
                + " on q.user_id = a.user_id where a.user_id = ? order by q.queue", rs -> {
                    if (!rs.next()) {
                        return new AccountView(userId, 0, 0, 0, List.of(), null);
                    }
                    long balance = rs.getLong("balance");
                    long playtime = rs.getLong("playtime_seconds");
                    int activeSessions = rs.getInt("active_sessions");
                    Instant openedAt = Jdbc.instant(rs, "opened_at");
                    List<AccountView.QueuePlaytime> queues = new ArrayList<>();
                    do {
                        if (rs.getString("queue") != null) {
                            queues.add(new AccountView.QueuePlaytime(rs.getString("queue"),
                                    rs.getLong("queue_seconds")));
                        }
                    } while (rs.next());
                    return new AccountView(userId, balance, playtime, activeSessions, queues, openedAt);
                }, userId);
    }
}
