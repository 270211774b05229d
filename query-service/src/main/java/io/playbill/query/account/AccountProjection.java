package io.playbill.query.account;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.FundsDeposited;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One row per user with the current balance. Events can arrive twice (the publisher is at-least-once), so each
 * update applies only events newer than the row's last applied sequence number.
 */
@Component
@ProcessingGroup(AccountProjection.PROCESSING_GROUP)
class AccountProjection {

    static final String PROCESSING_GROUP = "accounts";

    private final JdbcTemplate jdbc;

    AccountProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long sequence) {
        jdbc.update("""
                insert into account (user_id, balance, opened_at, last_sequence)
                values (?, 0, to_timestamp(? / 1000.0), ?)
                on conflict (user_id) do nothing
                """, event.userId(), event.openedAtMillis(), sequence);
    }

    @EventHandler
    void on(FundsDeposited event, @SequenceNumber long sequence) {
        jdbc.update("update account set balance = ?, last_sequence = ? where user_id = ? and last_sequence < ?",
                event.balanceAfter(), sequence, event.userId(), sequence);
    }
}
