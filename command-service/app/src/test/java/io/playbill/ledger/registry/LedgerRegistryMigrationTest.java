package io.playbill.ledger.registry;

import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a ledger that stored events before the registry existed: V3 fills the registry from them, the first claim
 * winning, and an old reason with U+0000 (which jsonb cannot hold) does not stop the migration.
 */
class LedgerRegistryMigrationTest {

    private static final String EVENTS = "io.playbill.ledger.api.events.";

    @Test
    void theRegistryIsFilledFromTheEventsAlreadyStored() {
        PostgresServer.Database db = PlaybillTestInfrastructure.shared().createDatabase("v3-upgrade");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        flyway(dataSource, "2").migrate();

        store(jdbc, "alice", "SessionAuthorized", "{\"userId\":\"alice\",\"session\":\"s1\",\"queue\":\"standard\","
                + "\"pricePerMinute\":60,\"receivedAtMillis\":1000,\"expiresAtMillis\":601000}");
        store(jdbc, "bob", "SessionAuthorized", "{\"userId\":\"bob\",\"session\":\"s1\",\"queue\":\"standard\","
                + "\"pricePerMinute\":60,\"receivedAtMillis\":2000,\"expiresAtMillis\":602000}");
        store(jdbc, "alice", "FundsDeposited", "{\"userId\":\"alice\",\"reference\":\"pay-1\",\"amount\":500,"
                + "\"balanceAfter\":500,\"receivedAtMillis\":900}");
        store(jdbc, "bob", "FundsRefunded", "{\"userId\":\"bob\",\"reference\":\"refund-1\",\"amount\":5,"
                + "\"reason\":\"x\\u0000y\",\"balanceAfter\":0,\"receivedAtMillis\":3000}");
        store(jdbc, "bob", "BalanceAdjusted", "{\"userId\":\"bob\",\"reference\":\"pay-1\",\"amount\":-1,"
                + "\"reason\":\"fix\",\"balanceAfter\":0,\"receivedAtMillis\":4000}");

        flyway(dataSource, "3").migrate();

        assertThat(jdbc.queryForObject("select user_id from session_owner where session_id = 's1'", String.class))
                .as("the first authorization keeps the id").isEqualTo("alice");
        assertThat(jdbc.queryForMap("select user_id, kind, amount, balance_after from money_reference"
                + " where reference = 'pay-1'"))
                .isEqualTo(Map.of("user_id", "alice", "kind", "deposit", "amount", 500L, "balance_after", 500L));
        assertThat(jdbc.queryForObject("select reason from money_reference where reference = 'refund-1'",
                String.class)).isEqualTo("x\ufffdy");
    }

    private static Flyway flyway(DriverManagerDataSource dataSource, String target) {
        return Flyway.configure().dataSource(dataSource).target(target).load();
    }

    private static void store(JdbcTemplate jdbc, String aggregate, String type, String json) {
        jdbc.update("insert into domain_event_entry (global_index, event_identifier, payload, payload_type, time_stamp,"
                        + " aggregate_identifier, sequence_number, type) values (nextval('domain_event_entry_seq'), ?, ?,"
                        + " ?, '2026-01-01T00:00:00Z', ?, (select count(*) from domain_event_entry"
                        + " where aggregate_identifier = ?), 'UserAccount')",
                UUID.randomUUID().toString(), json.getBytes(StandardCharsets.UTF_8), EVENTS + type, aggregate, aggregate);
    }
}
