package io.playbill.query.account;

import io.playbill.query.projection.Jdbc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

@Component
class AccountReads {

    private final JdbcTemplate jdbc;
    /** The account row and its playtime per queue from one snapshot, so that the queues add up to the total. */
    private final TransactionTemplate oneSnapshot;

    AccountReads(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.oneSnapshot = new TransactionTemplate(transactions);
        oneSnapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        oneSnapshot.setReadOnly(true);
    }

    AccountView account(String userId) {
        return oneSnapshot.execute(status -> read(userId));
    }

    private AccountView read(String userId) {
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
