package io.playbill.ledger.parked;

import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parked expiries are counted on every health probe and scrape ({@link ParkedHealth}), in {@code session_expiry},
 * a row per open session that the renews rewrite all the time: the count reads a partial index of the few parked rows,
 * not the whole table.
 */
class ParkedExpiriesCountIndexTest {

    @Test
    void countingParkedExpiriesReadsOnlyTheParkedRows() {
        PostgresServer.Database db = PlaybillTestInfrastructure.shared().createDatabase("parked-expiries-count");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        Flyway.configure().dataSource(dataSource).load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // Many open sessions, three of them parked.
        jdbc.update("insert into session_expiry (user_id, session_id, expires_at_millis, parked_at_millis)"
                + " select 'user-' || n, 's' || n, 1000 + n, case when n % 20000 = 0 then n end"
                + " from generate_series(1, 60000) n");
        jdbc.execute("analyze session_expiry");

        List<String> plan = jdbc.queryForList("explain " + ParkedHealth.COUNTS.get("expiry"), String.class);

        assertThat(String.join("\n", plan)).as("the plan")
                .contains("session_expiry_parked")
                .doesNotContain("Seq Scan");
        assertThat(jdbc.queryForObject(ParkedHealth.COUNTS.get("expiry"), Long.class)).isEqualTo(3);
    }
}
