package io.playbill.ledger.registry;

import io.playbill.ledger.domain.LedgerRegistry;
import io.playbill.ledger.domain.RecordedMovement;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code session_owner} and {@code money_reference} (Flyway {@code V3}). Both lookups are by primary key and run
 * only for authorizations and money requests, never for renews. Reads see the batch transaction's own writes, so two
 * requests in one batch see each other; a request of another instance that claims the same id or reference first
 * makes this batch's insert fail and the batch is retried, by which time the lookup sees it.
 */
@Component
class JdbcLedgerRegistry implements LedgerRegistry {

    private final JdbcTemplate jdbc;

    JdbcLedgerRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<String> sessionOwner(String session) {
        return jdbc.queryForList("select user_id from session_owner where session_id = ?", String.class, session)
                .stream().findFirst();
    }

    @Override
    public Optional<RecordedMovement> movement(String reference) {
        return jdbc.query("select user_id, kind, amount, reason, balance_after from money_reference where reference = ?",
                (rs, row) -> new RecordedMovement(rs.getString("user_id"),
                        RecordedMovement.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getLong("amount"),
                        rs.getString("reason"), rs.getLong("balance_after")), reference).stream().findFirst();
    }
}
