package io.playbill.ledger.infrastructure;

import io.playbill.ledger.axon.VersionCheckedCachingRepository;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The accounts' last sequence numbers in the event store, for a whole intake batch: one statement, one probe of the
 * unique (account, sequence) index per account. The lateral join keeps it so whatever the planner thinks of the
 * table: a plain {@code aggregate_identifier = any(?)} let it scan a small table whole.
 */
public class JdbcStoredVersions implements VersionCheckedCachingRepository.StoredVersions {

    private final JdbcTemplate jdbc;

    public JdbcStoredVersions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<String, Long> lastSequenceNumbers(Collection<String> accounts) {
        Map<String, Long> versions = new HashMap<>();
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("select account.id, last.sequence_number"
                    + " from unnest(?::varchar[]) as account(id) cross join lateral (select max(sequence_number)"
                    + " as sequence_number from domain_event_entry where aggregate_identifier = account.id) as last"
                    + " where last.sequence_number is not null");
            statement.setArray(1, connection.createArrayOf("varchar", accounts.toArray()));
            return statement;
        }, (ResultSet row) -> {
            versions.put(row.getString(1), row.getLong(2));
        });
        return versions;
    }
}
